"""The conversation (tracker) store, reached without importing Rasa.

Why a module of its own: retention, erasure, access and key rotation all read,
delete or rewrite stored conversations, and the CLI and the dispatcher must not pay
for importing Rasa to do so. Rasa's SQL tracker store is one `events` table, its
Redis store one key per conversation (`tracker:<conversation id>`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from spinecare import crypto, settings
from spinecare.storage import db

# Rasa's RedisTrackerStore default key prefix.
REDIS_KEY_PREFIX = "tracker:"
# Rows deleted per statement in the conversation store, so a long purge never holds
# SQLite's single write lock for long.
_BATCH = 500


Decoder = Callable[[str], dict[str, Any]]


def _json_decoder(stored: str) -> dict[str, Any]:
    return json.loads(stored)


class ConversationArchive:
    """Read, delete and expire conversations in the tracker store at `url`.

    `decode` turns a stored event (SQL) or tracker (Redis) back into JSON data; the
    encrypting store passes its own.
    """

    def __init__(
        self,
        url: str,
        decode: Decoder | None = None,
        *,
        connect_timeout_seconds: float = settings.Settings.db_connect_timeout_seconds,
    ) -> None:
        self.url = url
        self.decode = decode or _json_decoder
        self._connect_timeout_seconds = connect_timeout_seconds
        scheme = url.split(":", 1)[0].lower()
        self.kind = "redis" if scheme in ("redis", "rediss") else "sql"
        self._engine: sa.engine.Engine | None = None
        self._redis: Any = None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._redis is not None:
            self._redis.close()
            self._redis = None

    def __enter__(self) -> ConversationArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- connections ---
    def _sql(self) -> sa.engine.Engine | None:
        """The engine, or None while the store has no `events` table (never used yet)."""
        if self._engine is None:
            parsed = make_url(self.url)
            if parsed.get_backend_name() == "sqlite":
                database = parsed.database
                if database and database != ":memory:" and not Path(database).expanduser().exists():
                    return None
            self._engine = db.make_engine(
                self.url, connect_timeout_seconds=self._connect_timeout_seconds
            )
        if not sa.inspect(self._engine).has_table("events"):
            return None
        return self._engine

    def _client(self) -> Any:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.url)
        return self._redis

    # --- operations ---
    def events(self, conversation_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Every stored event of each conversation that exists, oldest first."""
        ids = sorted(set(conversation_ids))
        found: dict[str, list[dict[str, Any]]] = {}
        if not ids:
            return found
        if self.kind == "redis":
            client = self._client()
            for conversation_id in ids:
                stored = client.get(REDIS_KEY_PREFIX + conversation_id)
                if stored is not None:
                    text = stored.decode() if isinstance(stored, bytes) else stored
                    found[conversation_id] = list(self.decode(text).get("events") or [])
            return found
        engine = self._sql()
        if engine is None:
            return found
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT sender_id, data FROM events WHERE sender_id IN :ids ORDER BY id"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": ids},
            )
            for sender_id, data in rows:
                found.setdefault(sender_id, []).append(self.decode(data))
        return found

    def existing(self, conversation_ids: Iterable[str]) -> set[str]:
        """Which of the conversations are stored (nothing is read or decrypted)."""
        ids = sorted(set(conversation_ids))
        if not ids:
            return set()
        if self.kind == "redis":
            client = self._client()
            return {i for i in ids if client.exists(REDIS_KEY_PREFIX + i)}
        engine = self._sql()
        if engine is None:
            return set()
        with engine.connect() as connection:
            return set(
                connection.execute(
                    sa.text(
                        "SELECT DISTINCT sender_id FROM events WHERE sender_id IN :ids"
                    ).bindparams(sa.bindparam("ids", expanding=True)),
                    {"ids": ids},
                ).scalars()
            )

    def delete(self, conversation_ids: Iterable[str]) -> int:
        """Remove the conversations; returns how many of them existed."""
        ids = sorted(set(conversation_ids))
        if not ids:
            return 0
        if self.kind == "redis":
            return int(self._client().delete(*(REDIS_KEY_PREFIX + i for i in ids)))
        engine = self._sql()
        if engine is None:
            return 0
        with engine.begin() as connection:
            existing = connection.execute(
                sa.text("SELECT DISTINCT sender_id FROM events WHERE sender_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": ids},
            ).all()
            connection.execute(
                sa.text("DELETE FROM events WHERE sender_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": ids},
            )
        return len(existing)

    def expire(self, retention_hours: float, now: float | None = None) -> int:
        """Delete conversations untouched for `retention_hours`; returns how many.

        Redis keys expire by themselves (the store sets their lifetime), so nothing
        is left to do there.
        """
        if self.kind == "redis":
            return 0
        engine = self._sql()
        if engine is None:
            return 0
        cutoff = (time.time() if now is None else now) - retention_hours * 3600
        total = 0
        while True:
            with engine.begin() as connection:
                ids = [
                    sender
                    for (sender,) in connection.execute(
                        sa.text(
                            "SELECT sender_id FROM events GROUP BY sender_id "
                            "HAVING MAX(timestamp) < :cutoff LIMIT :batch"
                        ),
                        {"cutoff": cutoff, "batch": _BATCH},
                    )
                ]
                if not ids:
                    return total
                connection.execute(
                    sa.text("DELETE FROM events WHERE sender_id IN :ids").bindparams(
                        sa.bindparam("ids", expanding=True)
                    ),
                    {"ids": ids},
                )
            total += len(ids)


def archive(conf: settings.Settings) -> ConversationArchive:
    """The configured conversation store (SPINECARE_TRACKER_STORE_URL)."""
    return ConversationArchive(
        conf.tracker_store_url,
        decode=_conversation_decoder(conf),
        connect_timeout_seconds=conf.db_connect_timeout_seconds,
    )


@contextmanager
def open_archive(
    conf: settings.Settings, conversations: ConversationArchive | None = None
) -> Iterator[ConversationArchive]:
    """The archive a caller handed in (left open), or the configured one, closed after use."""
    if conversations is not None:
        yield conversations
        return
    own = archive(conf)
    try:
        yield own
    finally:
        own.close()


def _conversation_decoder(conf: settings.Settings) -> Decoder:
    """Stored events are Fernet tokens (`spinecare.crypto`); older rows plain JSON."""

    def decode(stored: str) -> dict[str, Any]:
        return json.loads(crypto.decode_stored(stored, conf))

    return decode
