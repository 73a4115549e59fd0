"""A consultant's round trip in Debian's chromium, driven by Playwright against the real console."""

from __future__ import annotations

from pathlib import Path

import pytest
from console_harness import PASSWORD, USERNAME, XSS_NAME
from playwright.sync_api import expect

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture
def page(browser):
    """A fresh context of the one shared chromium (tests/conftest.py) that accepts downloads."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_sign_in_open_mark_export_and_sign_out(console, seeded, page, tmp_path):
    dialogs: list[str] = []
    console_errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    reference = seeded.references["older"]

    page.goto(f"{console.url}/requests")
    expect(page).to_have_url(f"{console.url}/login?next=%2Frequests")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{console.url}/requests")
    expect(page.get_by_test_id("username")).to_have_text(USERNAME)
    rows = page.get_by_test_id("requests")
    for seeded_reference in seeded.references.values():
        expect(rows.get_by_role("link", name=seeded_reference)).to_be_visible()
    expect(rows.get_by_text(XSS_NAME, exact=False)).to_be_visible()

    rows.get_by_role("link", name=reference).click()
    expect(page).to_have_url(f"{console.url}/requests/{reference}")
    expect(page.get_by_test_id("status")).to_have_text("new")
    expect(page.locator('[data-field="first_name"]')).to_have_text("Ann")
    expect(page.locator('[data-field="symptoms"]')).to_contain_text("worse when sitting.")

    page.get_by_role("button", name="Mark contacted").click()
    expect(page.get_by_test_id("status")).to_have_text("contacted")
    expect(page.get_by_role("status")).to_have_text("Status changed.")
    assert seeded.status(reference) == "contacted"

    page.get_by_role("link", name="All requests").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export all as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("spinecare-requests-")
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = Path(saved).read_text(encoding="utf-8-sig")
    assert content.startswith("reference,")
    assert reference in content

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{console.url}/login?signed_out=1")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto(f"{console.url}/requests/{reference}")
    expect(page).to_have_url(f"{console.url}/login?next=%2Frequests%2F{reference}")

    assert dialogs == [], "a stored value ran as script"
    assert console_errors == [], console_errors
