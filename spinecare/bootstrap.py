"""The one place a process gets its database: engine, sessions and the schema policy.

Every process asks here (the action server through `spinecare.services`, the Rasa
server's messaging channels, the console, the CLI, the dispatcher), so the policy is
written once:

- a process that takes patients' data (`migrate=True`: action server, channels,
  console) brings the schema to the newest revision on first use, because a request
  must never be lost to an upgrade an operator forgot; two processes starting together
  on one SQLite file may race, and the loser accepts a schema the winner made current;
- an operator's tool (`migrate=False`: the CLI, the dispatcher) refuses a database
  that is not current and says how to upgrade it, because a mistyped URL must not
  quietly create an empty database that then reports "no requests".

One engine per URL per process, made once: engines hold the connection pool.

Settings are handed down from here (and from the entry points): storage, delivery
and privacy take them as arguments and never read the environment themselves.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import sessionmaker

from spinecare import settings
from spinecare.storage import db, schema


class SchemaNotCurrent(Exception):
    """The database is missing tables or is at an older revision; the message says what to do."""


_factories: dict[str, sessionmaker] = {}
_lock = threading.Lock()


def require_current(url: str, conf: settings.Settings) -> None:
    """Raise SchemaNotCurrent unless the database at `url` is at the newest revision."""
    current = schema.current_revision(url, connect_timeout_seconds=conf.db_connect_timeout_seconds)
    head = schema.head_revision()
    if current is None:
        raise SchemaNotCurrent("The database has no tables yet. Run `spinecare db upgrade` first.")
    if current != head:
        raise SchemaNotCurrent(
            f"The database schema is at revision {current}; this version needs {head}. "
            "Run `spinecare db upgrade`."
        )


def sessions(
    url: str, *, migrate: bool = True, conf: settings.Settings | None = None
) -> sessionmaker:
    """The session factory for `url`, under the schema policy above.

    `conf` (keys, connect timeout) defaults to this process's settings.
    """
    with _lock:
        factory = _factories.get(url)
        if factory is not None:
            return factory
        conf = conf or settings.load()
        timeout = conf.db_connect_timeout_seconds
        if migrate:
            try:
                schema.migrate(url, conf)
            except Exception:
                if not schema.is_up_to_date(url, connect_timeout_seconds=timeout):
                    raise
        else:
            require_current(url, conf)
        factory = db.make_session_factory(db.make_engine(url, connect_timeout_seconds=timeout))
        _factories[url] = factory
        return factory
