"""Fixtures for the delivery tests: real receivers and settings.

The databases come from tests/spinecare/conftest.py: every test runs on SQLite and
on PostgreSQL, whose claim logic differs, and a missing PostgreSQL server is a
failure, never a skip.
"""

from __future__ import annotations

import dataclasses

import pytest
from delivery_support import WEBHOOK_SECRET, Clock, MailServer, Receiver

from spinecare import settings


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def mailbox():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


# --- configuration ------------------------------------------------------------------


@pytest.fixture
def make_config(database_url, mailbox, receiver, tmp_path):
    """Settings pointing at this test's database and receivers, with short timings."""

    def make(**overrides):
        values = {
            "database_url": database_url,
            # The dispatcher's privacy purge expires conversations here, never in var/.
            "tracker_store_url": f"sqlite:///{tmp_path / 'conversations.db'}",
            "smtp_host": "127.0.0.1",
            "smtp_port": mailbox.port,
            "smtp_starttls": False,
            "smtp_username": "",
            "smtp_password": "",
            "smtp_from": "spinecare@practice.example",
            "smtp_recipients": ("consultants@practice.example", "lead@practice.example"),
            "smtp_timeout_seconds": 2.0,
            "email_include_details": False,
            "webhook_url": receiver.url,
            "webhook_secret": WEBHOOK_SECRET,
            "webhook_timeout_seconds": 0.5,
            "console_url": "https://console.practice.example",
            "dispatch_poll_seconds": 0.05,
            "dispatch_max_attempts": 4,
            "dispatch_backoff_base_seconds": 10.0,
            "dispatch_backoff_cap_seconds": 25.0,
            "dispatch_lease_seconds": 30.0,
        }
        values.update(overrides)
        return dataclasses.replace(settings.load(), **values)

    return make
