"""Where conversations live: Rasa's SQL and Redis tracker stores, made to keep promises.

Why not Rasa's own stores as they are (see docs/security.md for the measurements):

- they call blocking database clients inside the server's event loop, so one slow
  query stalls every conversation; here each database call runs in a worker
  thread (`asyncio.to_thread`);
- they keep every answer forever; here a conversation untouched for
  SPINECARE_CONVERSATION_RETENTION_HOURS is deleted (SQL: on the next read and by a
  sweep every few minutes; Redis: the key's expiry), and the answers of a form are
  redacted as soon as the assistant says they are gone (`spinecare.conversations`).

`SQLConversationStore` serves SQLite (the default, a file under var/ created with
mode 0600, no extra service for `make run`) and PostgreSQL;
`RedisConversationStore` serves redis:// and rediss://. Both read their URL from
SPINECARE_TRACKER_STORE_URL unless endpoints.yml gives one (`url:`).

Encryption at rest (issue 12): every stored event (SQL, one row per event) and
every Redis value is a Fernet token under the newest SPINECARE_DATA_KEYS key
(`spinecare.crypto`), through `encode_event`/`decode_event` and
`encode_blob`/`decode_blob`. Rows written before encryption still read; the store
refuses to start in production without keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import (
    DialogueStateTracker,
    get_trackers_for_conversation_sessions,
)
from sqlalchemy.engine import make_url

from spinecare import crypto, settings
from spinecare.conversations import has_marker, redact
from spinecare.events import log_event
from spinecare.storage import db

SWEEP_INTERVAL_SECONDS = 300


def _retention_seconds(retention_hours: float | None) -> float:
    if retention_hours is None:
        retention_hours = settings.load().conversation_retention_hours
    return float(retention_hours) * 3600


def _configure_sqlite(dbapi_connection: Any, _record: object) -> None:
    """WAL: reads do not wait for writes (the sweep, several conversations at once).

    secure_delete: redacted and deleted text is overwritten, not left in free pages.

    synchronous=NORMAL: with WAL, a commit survives a crash or SIGKILL of the server
    (only a power cut can lose the last few turns); FULL would wait for the disk on
    every turn, which measured several times slower under load.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_engine(parsed: sa.engine.URL) -> sa.engine.Engine:
    """A pooled engine on a private (0600) file.

    Pooled, unlike the requests database's engine: SQLite checkpoints the WAL whenever
    its last connection closes, and opening and closing one per call measured about
    10 ms a turn.
    """
    if parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)
        os.chmod(path, 0o600)
    engine = sa.create_engine(
        parsed,
        future=True,
        hide_parameters=True,
        poolclass=sa.pool.QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"timeout": db.SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )
    sa.event.listen(engine, "connect", _configure_sqlite)
    return engine


class SQLConversationStore(SQLTrackerStore):
    """Rasa's SQL tracker store (same `events` table) with redaction, expiry, no blocking."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        retention_hours: float | None = None,
        **kwargs: Any,
    ) -> None:
        conf = settings.load()
        self.url = url or host or conf.tracker_store_url
        parsed = make_url(self.url)
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(
                f"SQLConversationStore serves sqlite and postgresql URLs, not {backend}"
            )
        self.retention_seconds = _retention_seconds(retention_hours)
        self._cipher = crypto.cipher(conf)
        if backend == "sqlite":
            self.engine = _sqlite_engine(parsed)
            # SQLite has one writer at a time; without this, two conversations saving
            # at once made one wait in SQLite's busy handler (seconds under load).
            self._write_lock: Any = threading.Lock()
        else:
            self.engine = db.make_engine(
                self.url, connect_timeout_seconds=conf.db_connect_timeout_seconds
            )
            self._write_lock = contextlib.nullcontext()
        self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self._last_sweep = 0.0
        self._sweep_lock = threading.Lock()
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    # --- encryption at rest (issue 12) ---
    def encode_event(self, data: dict[str, Any]) -> str:
        return self._cipher.encrypt(json.dumps(data))

    def decode_event(self, stored: str) -> dict[str, Any]:
        return json.loads(crypto.decode_stored(stored, settings.load()))

    # --- Rasa's interface ---
    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        await asyncio.to_thread(self._save, tracker.sender_id, list(tracker.events))

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        return await asyncio.to_thread(
            self._retrieve_sync, sender_id, fetch_events_from_all_sessions
        )

    async def keys(self) -> list[str]:
        return await asyncio.to_thread(self._keys)

    # --- blocking parts, run in worker threads ---
    def _keys(self) -> list[str]:
        with self.session_scope() as session:
            return [sender for (sender,) in session.query(self.SQLEvent.sender_id).distinct()]

    def _row(self, sender_id: str, data: dict[str, Any]) -> SQLTrackerStore.SQLEvent:
        intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=data.get("event"),
            timestamp=data.get("timestamp"),
            intent_name=intent,
            action_name=data.get("name"),
            data=self.encode_event(data),
        )

    def _save(self, sender_id: str, events: Sequence[Event]) -> None:
        with self._write_lock, self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            stored_count = query.count()
            new = [event.as_dict() for event in events[stored_count:]]
            if has_marker(new):
                stored = query.all()
                everything = redact([self.decode_event(row.data) for row in stored] + new)
                for row, data in zip(stored, everything[: len(stored)], strict=True):
                    encoded = self.encode_event(data)
                    if encoded != row.data:
                        row.data = encoded
                new = everything[len(stored) :]
                log_event("conversation_redacted", sender_id, count=len(everything))
            session.add_all(self._row(sender_id, data) for data in new)
            session.commit()
        self._maybe_sweep()

    def _retrieve_sync(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            newest = (
                session.query(sa.func.max(self.SQLEvent.timestamp))
                .filter(self.SQLEvent.sender_id == sender_id)
                .scalar()
            )
            if newest is None:
                return None
            if newest < time.time() - self.retention_seconds:
                with self._write_lock:
                    session.query(self.SQLEvent).filter(
                        self.SQLEvent.sender_id == sender_id
                    ).delete()
                    session.commit()
                log_event("conversation_expired", sender_id)
                return None
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [self.decode_event(row.data) for row in rows]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def sweep(self, now: float | None = None) -> int:
        """Delete every conversation untouched for the retention period; returns rows deleted."""
        cutoff = (time.time() if now is None else now) - self.retention_seconds
        with self._write_lock, self.session_scope() as session:
            deleted = session.execute(
                sa.text(
                    "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events "
                    "GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)"
                ),
                {"cutoff": cutoff},
            ).rowcount
            session.commit()
        if deleted:
            log_event("conversations_expired", count=deleted)
        return deleted

    def _maybe_sweep(self) -> None:
        now = time.monotonic()
        with self._sweep_lock:
            if self._last_sweep and now - self._last_sweep < SWEEP_INTERVAL_SECONDS:
                return
            self._last_sweep = now
        self.sweep()


class RedisConversationStore(RedisTrackerStore):
    """Rasa's Redis tracker store with redaction, key expiry and no blocking."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        retention_hours: float | None = None,
        **kwargs: Any,
    ) -> None:
        conf = settings.load()
        self.url = url or host or conf.tracker_store_url
        parts = urlsplit(self.url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError("RedisConversationStore serves redis:// and rediss:// URLs")
        self._cipher = crypto.cipher(conf)
        super().__init__(
            domain=domain,
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            db=int(parts.path.lstrip("/") or 0),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            event_broker=event_broker,
            record_exp=_retention_seconds(retention_hours),
            use_ssl=parts.scheme == "rediss",
            **kwargs,
        )

    # --- encryption at rest (issue 12) ---
    def encode_blob(self, serialised: str) -> str:
        return self._cipher.encrypt(serialised)

    def decode_blob(self, stored: str | bytes) -> str:
        return crypto.decode_stored(stored, settings.load())

    # --- Rasa's interface ---
    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        await self.stream_events(tracker)
        await asyncio.to_thread(self._save, tracker)

    async def _retrieve(
        self, sender_id: str, fetch_all_sessions: bool
    ) -> DialogueStateTracker | None:
        stored = await asyncio.to_thread(self.red.get, self.key_prefix + sender_id)
        if stored is None:
            return None
        tracker = self.deserialise_tracker(sender_id, self.decode_blob(stored))
        if fetch_all_sessions or tracker is None:
            return tracker
        sessions = get_trackers_for_conversation_sessions(tracker)
        return tracker if len(sessions) <= 1 else sessions[-1]

    async def keys(self) -> list[str]:
        return await asyncio.to_thread(self.red.keys, self.key_prefix + "*")

    def _save(self, tracker: DialogueStateTracker) -> None:
        key = self.key_prefix + tracker.sender_id
        stored = self.red.get(key)
        if stored is not None:
            prior = self.deserialise_tracker(tracker.sender_id, self.decode_blob(stored))
            tracker = self._merge_trackers(prior, tracker)
        data = tracker.as_dialogue().as_dict()
        if has_marker(data.get("events") or []):
            data["events"] = redact(data["events"])
        self.red.set(key, self.encode_blob(json.dumps(data)), ex=round(self.record_exp))
