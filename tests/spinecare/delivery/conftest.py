"""Fixtures for the delivery tests: databases, real receivers and settings.

The databases are a fresh SQLite file per test and a PostgreSQL database created
for this test session (the approach of tests/spinecare/storage): the claim logic
differs between the two, so both run, and a missing PostgreSQL server is a
failure, never a skip.
"""

from __future__ import annotations

import dataclasses
import os
import uuid

import psycopg2
import pytest
from delivery_support import POSTGRES_ADMIN_URL, WEBHOOK_SECRET, Clock, MailServer, Receiver
from psycopg2 import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from spinecare import settings
from spinecare.storage import db
from spinecare.storage.schema import migrate

# --- databases ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url():
    admin = make_url(POSTGRES_ADMIN_URL)
    connection, problem = None, ""
    try:
        connection = psycopg2.connect(
            host=admin.host,
            port=admin.port or 5432,
            user=admin.username,
            password=admin.password,
            dbname=admin.database,
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        problem = str(exc).strip()
    if connection is None:
        pytest.fail(
            f"PostgreSQL is not reachable at {admin.host}:{admin.port or 5432} as "
            f"{admin.username} (database {admin.database}): {problem}\n"
            "Start it, or point SPINECARE_TEST_POSTGRES_URL at a server where this user "
            "may create databases. These tests do not skip without it.",
            pytrace=False,
        )
    connection.autocommit = True
    name = f"spinecare_delivery_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.close()


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
