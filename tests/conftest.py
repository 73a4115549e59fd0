"""Shared fixtures: the real assistant (action server + Rasa server + chat page) on free ports.

The model is trained once per test run (by `make test`, or here if missing), and
the servers start once per session, writing to a database of the test run's own.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from spinecare import devserver, settings
from spinecare.training import train_if_needed


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A fresh SQLite database for the servers of this test run."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'spinecare.db'}"


@pytest.fixture(scope="session")
def tracker_store_url(tmp_path_factory) -> str:
    """The servers' conversations (Rasa tracker store) for this test run."""
    return f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'conversations.db'}"


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, database_url, tracker_store_url):
    """The running stack; its settings say where each server listens."""
    model = train_if_needed()
    conf = dataclasses.replace(
        settings.load(),
        rasa_port=devserver.free_port(),
        actions_port=devserver.free_port(),
        webchat_port=devserver.free_port(),
        console_port=devserver.free_port(),
        database_url=database_url,
        tracker_store_url=tracker_store_url,
    )
    log_path = tmp_path_factory.mktemp("logs") / "servers.log"
    with log_path.open("w") as log:
        try:
            stack = devserver.start(conf, model, log=log)
        except Exception:
            log.flush()
            print(Path(log_path).read_text()[-5000:])
            raise
        try:
            yield stack
        finally:
            stack.stop()
            if os.environ.get("CI"):
                print(f"server log: {log_path}")


@pytest.fixture(scope="session")
def http():
    with httpx.Client(timeout=60) as client:
        yield client


@pytest.fixture
def rasa_url(assistant) -> str:
    return assistant.conf.rasa_url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Debian chromium for the whole run (Playwright allows one sync instance per thread)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
