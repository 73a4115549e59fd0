"""The conversation store beside the requests database, for the privacy and encryption tests."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from spinecare import settings
from spinecare.storage import db

EVENTS_TABLE = """CREATE TABLE IF NOT EXISTS events (
    id {id} PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


@pytest.fixture
def conversations_url(database_url, tmp_path):
    """A tracker store `events` table, empty: SQLite file, or the PostgreSQL test database."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'conversations.db'}"
        ddl = EVENTS_TABLE.format(id="INTEGER")
    else:
        url = database_url
        ddl = EVENTS_TABLE.format(id="SERIAL")
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(ddl))
        connection.execute(text("DELETE FROM events"))
    try:
        yield url
    finally:
        if url == database_url:  # the requests database must keep only its own tables
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE events"))
        engine.dispose()


@pytest.fixture
def conf(database_url, conversations_url):
    return dataclasses.replace(
        settings.load(), database_url=database_url, tracker_store_url=conversations_url
    )
