"""The chat page in a real browser: the widget greets over socket.io and keeps history on reload."""

from __future__ import annotations

import os
import subprocess

import pytest
from playwright.sync_api import expect

from tests.support.intake import HAPPY_ANSWERS, SPINECARE, export

pytestmark = [pytest.mark.integration, pytest.mark.browser]

GREETING = "I'm the SpineCare assistant"


def send(page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def click_reply(page, title: str) -> None:
    """Click one of the quick-reply buttons the widget shows under the last bot message."""
    page.locator(".rw-reply", has_text=title).last.click(timeout=30_000)


def bot_messages(page, text: str):
    return page.locator(".rw-response").filter(has_text=text)


def test_widget_greets_and_keeps_history_after_reload(page, assistant):
    page.goto(f"http://{assistant.conf.host}:{assistant.conf.webchat_port}/")
    # The widget opens the conversation with /greet, so the greeting is there before typing.
    expect(bot_messages(page, GREETING)).to_have_count(1, timeout=30_000)

    # A "hi" typed after the widget's own greeting gets a short answer, not the greeting again.
    send(page, "hi")
    expect(page.locator(".rw-client").filter(has_text="hi")).to_have_count(1)
    expect(bot_messages(page, "How can I help?")).to_have_count(1, timeout=30_000)
    expect(bot_messages(page, GREETING)).to_have_count(1)
    expect(bot_messages(page, "not medical advice")).to_have_count(1)

    page.reload()
    expect(bot_messages(page, "How can I help?")).to_have_count(1, timeout=30_000)
    expect(bot_messages(page, GREETING)).to_have_count(1)
    expect(page.locator(".rw-client").filter(has_text="hi")).to_have_count(1)

    send(page, "thank you")
    expect(bot_messages(page, "You're welcome")).to_have_count(1, timeout=30_000)
    # The widget sits in the page under its header, and its input stays on screen.
    expect(page.locator("main#webchat .rw-new-message")).to_be_in_viewport()
    expect(page.locator("header h1")).to_be_in_viewport()


def test_page_server_serves_only_its_own_files(assistant, http):
    base = f"http://{assistant.conf.host}:{assistant.conf.webchat_port}"
    assert http.get(f"{base}/").status_code == 200
    assert http.get(f"{base}/static/webchat.js").status_code == 200
    assert http.get(f"{base}/../config.yml").status_code == 404
    assert http.get(f"{base}/Makefile").status_code == 404


def add_console_user(database_url: str, name: str, password: str) -> None:
    subprocess.run(
        [str(SPINECARE), "users", "add", name, "--password-stdin", "--actor", "test"],
        input=f"{password}\n",
        env={**os.environ, "SPINECARE_DATABASE_URL": database_url},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip


def test_full_intake_in_the_widget_reaches_the_console(page, assistant, database_url, tmp_path):

    page.goto(f"http://{assistant.conf.host}:{assistant.conf.webchat_port}/")
    expect(bot_messages(page, GREETING)).to_have_count(1, timeout=30_000)
    click_reply(page, "Start a no-cost MRI review")
    expect(page.locator(".rw-response").last).to_contain_text("first and last name", timeout=30_000)
    for text, expected_next in HAPPY_ANSWERS[1:]:
        send(page, text)
        expect(page.locator(".rw-response").last).to_contain_text(expected_next, timeout=30_000)
    click_reply(page, "Yes, that's right")
    expect(page.locator(".rw-response").last).to_contain_text("Do you agree", timeout=30_000)
    click_reply(page, "Yes, I agree")
    expect(page.locator(".rw-response").last).to_contain_text(
        "Your reference is MRI-", timeout=30_000
    )

    reference = page.locator(".rw-response").last.inner_text().split("reference is ")[1][:11]
    (row,) = [r for r in export(database_url) if r["reference"] == reference]
    assert row["channel"] == "socketio"
    assert row["phone"] == "+15551234567" and row["state"] == "NY"

    # A consultant finds the request made through the chat in the console and acts on it.
    add_console_user(database_url, "casey", "a long console passphrase 42")
    console = f"http://{assistant.conf.host}:{assistant.conf.console_port}"
    page.goto(f"{console}/requests")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("a long console passphrase 42")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("requests").get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("status")).to_have_text("new")
    page.get_by_role("button", name="Mark contacted").click()
    expect(page.get_by_test_id("status")).to_have_text("contacted")
    page.get_by_role("link", name="All requests").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export all as CSV").click()
    saved = tmp_path / "export.csv"
    download_info.value.save_as(saved)
    assert reference in saved.read_text(encoding="utf-8-sig")
    (row,) = [r for r in export(database_url) if r["reference"] == reference]
    assert row["status"] == "contacted"
