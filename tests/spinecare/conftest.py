"""Databases for the storage-level tests: each test runs on SQLite and on real PostgreSQL.

PostgreSQL gets one database for the test session (created and dropped by
tests/support/postgres.py), emptied before each test; SQLite a fresh file per test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from spinecare import settings
from spinecare.storage import db
from spinecare.storage.schema import migrate
from tests.support.postgres import fresh_database

TABLES_EMPTIED_PER_TEST = (
    "outbox_job",
    "mri_review_request",
    "audit_event",
    "messaging_contact",
    "messaging_opt_out",
    "messaging_inbound",
    "login_attempt",
)


@pytest.fixture(scope="session")
def postgres_url():
    with fresh_database("spinecare_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'spinecare.db'}"
        migrate(url, settings.load())
        return url
    url = request.getfixturevalue("postgres_url")
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for table in TABLES_EMPTIED_PER_TEST:
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (fixed names)
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
def session(sessions):
    with sessions() as session:
        yield session
