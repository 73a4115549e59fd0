"""The one place that turns a database URL into an engine.

Why one place: SQLite needs a few connection settings to be a safe store for
requests (foreign keys are off by default; WAL lets the CLI read while the action
server writes; a busy timeout turns a concurrent write into a short wait instead
of an error), and every engine must keep statement parameters, which hold
personal data, out of error messages and logs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from spinecare import settings

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url`, by default `settings.load().database_url`."""
    url = url or settings.load().database_url
    parsed = make_url(url)
    options: dict = {"future": True, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "check_same_thread": False,
        }
    else:
        options["pool_pre_ping"] = True
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions whose objects stay readable after commit (repository functions commit)."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)
