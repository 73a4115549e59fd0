"""Fixtures for the delivery tests: databases, real receivers and settings.

The databases are a fresh SQLite file per test and a PostgreSQL database created
for this test session (the approach of tests/spinecare/storage): the claim logic
differs between the two, so both run, and a missing PostgreSQL server is a
failure, never a skip.
"""

from __future__ import annotations

import dataclasses

import pytest
from delivery_support import WEBHOOK_SECRET, Clock, MailServer, Receiver
from sqlalchemy import text

from spinecare import settings
from spinecare.storage import db
from spinecare.storage.schema import migrate
from tests.support.postgres import fresh_database

# --- databases ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url():
    with fresh_database("spinecare_delivery") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'delivery.db'}"
        migrate(url)
        return url
    url = request.getfixturevalue("postgres_url")
    migrate(url)
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_job"))
        connection.execute(text("DELETE FROM mri_review_request"))
        connection.execute(text("DELETE FROM audit_event"))
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url):
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return db.make_session_factory(engine)


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
def make_config(database_url, mailbox, receiver):
    """Settings pointing at this test's database and receivers, with short timings."""

    def make(**overrides):
        values = {
            "database_url": database_url,
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
