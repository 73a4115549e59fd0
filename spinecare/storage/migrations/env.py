"""Alembic environment for the request store.

Why it differs from Alembic's template: it does not call `logging.config.fileConfig`,
which would reconfigure (and silence) the logging of the action server that runs
migrations at start; it takes an open connection from `migrate()` when given one,
so the upgrade runs under the caller's lock and transaction; otherwise it builds
the engine through `spinecare.storage.db`, so SQLite gets the same pragmas as at
run time. SQLite migrations use batch mode, as SQLite cannot alter most columns.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from spinecare import settings
from spinecare.storage.db import make_engine
from spinecare.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("url") or settings.load().database_url


def _configure(**options: object) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True, **options)


def run_migrations_offline() -> None:
    url = _url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_with(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    timeout = settings.load().db_connect_timeout_seconds
    engine = make_engine(_url(), connect_timeout_seconds=timeout)
    try:
        with engine.connect() as new_connection:
            _run_with(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
