"""The one place that turns a database URL into an engine.

Why one place: SQLite needs a few connection settings to be a safe store for
requests (foreign keys are off by default; WAL lets the CLI read while the action
server writes; a busy timeout turns a concurrent write into a short wait instead
of an error; the file is created 0600 and deleted rows are overwritten), every
engine must keep statement parameters, which hold personal data, out of error
messages and logs, and a PostgreSQL server that does not answer must fail within
SPINECARE_DB_CONNECT_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from spinecare import settings

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def make_engine(
    url: str,
    *,
    connect_timeout_seconds: float = settings.Settings.db_connect_timeout_seconds,
) -> Engine:
    """An engine for `url`; PostgreSQL gives up connecting after `connect_timeout_seconds`.

    Processes pass their SPINECARE_DB_CONNECT_TIMEOUT_SECONDS; the default is its default.
    """
    parsed = make_url(url)
    options: dict = {"future": True, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_file(Path(database).expanduser())
        options["connect_args"] = {
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "check_same_thread": False,
        }
    else:
        options["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            # libpq waits for the OS's TCP timeout (minutes) on an unreachable host;
            # every submission would hang that long instead of failing and asking again.
            timeout = max(1, round(connect_timeout_seconds))
            options["connect_args"] = {"connect_timeout": timeout}
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds patient data).

    SQLite gives its -wal and -shm files the main file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Foreign keys, WAL, and secure_delete: deleted rows are overwritten with zeros.

    Without secure_delete a deleted request or an erased person stays readable in the
    file's free pages until SQLite happens to reuse them.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions whose objects stay readable after commit (repository functions commit)."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)
