"""Bring a database to the newest schema, and tell whether it is there.

Why migrations and never `create_all`: a practice's database outlives every
release, and only migrations can change an existing table without losing the
requests in it. The action server calls `migrate()` at start and operators can
run `spinecare db upgrade`; both use this module.

Patient fields are stored encrypted (revision 0005 encrypts existing rows), so the
keys are checked first: with SPINECARE_ENV=production and no SPINECARE_DATA_KEYS or
SPINECARE_LOOKUP_KEY, nothing that uses the database starts (`crypto.KeyProblem`).

On PostgreSQL the upgrade holds an advisory lock, so two processes starting at
once (say, two action server replicas) do not both try to create the tables.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from spinecare import crypto, settings
from spinecare.storage.db import make_engine

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"
# An arbitrary constant naming this application's migration lock in pg_advisory_xact_lock.
_PG_MIGRATION_LOCK = 7_402_611_853


def alembic_config(url: str) -> Config:
    """The Alembic configuration for the database at `url`."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["url"] = url
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return heads[0]


def migrate(url: str, conf: settings.Settings) -> str:
    """Upgrade the database at `url` to the newest revision; return it.

    `conf` gives the keys checked first and the connect timeout.
    """
    crypto.check_configured(conf)
    engine = make_engine(url, connect_timeout_seconds=conf.db_connect_timeout_seconds)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
    return head_revision()


def current_revision(
    url: str, *, connect_timeout_seconds: float = settings.Settings.db_connect_timeout_seconds
) -> str | None:
    """The revision the database is at, or None for an empty database."""
    engine = make_engine(url, connect_timeout_seconds=connect_timeout_seconds)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_up_to_date(
    url: str, *, connect_timeout_seconds: float = settings.Settings.db_connect_timeout_seconds
) -> bool:
    revision = current_revision(url, connect_timeout_seconds=connect_timeout_seconds)
    return revision == head_revision()
