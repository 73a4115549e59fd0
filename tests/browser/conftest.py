"""Pages in the shared chromium (the `browser` fixture lives in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
