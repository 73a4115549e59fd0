"""Key rotation: re-encrypt every stored value with the newest data key.

Why a module of its own: after a new key is added to SPINECARE_DATA_KEYS, the older
keys can only be removed once nothing is stored under them, in the requests database
or in the conversation store. `spinecare privacy rotate-key` runs this; it is
resumable (batches are committed) and audited with counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from spinecare import crypto, settings
from spinecare.privacy.conversations import ConversationArchive, open_archive
from spinecare.storage import repository
from spinecare.storage.models import Base, EncryptedText


def encrypted_columns() -> dict[str, list[str]]:
    """Every table of the requests database with encrypted columns, and those columns."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [
            column.name for column in table.columns if isinstance(column.type, EncryptedText)
        ]
        if columns:
            found[table.name] = columns
    return found


def _reencrypt(value: str, cipher: Any) -> str | None:
    """The value under the newest key, or None when it is already there."""
    if crypto.is_token(value):
        return None if cipher.is_current(value) else cipher.rotate(value)
    return cipher.encrypt(value)  # written before encryption


def _rotate_table(
    execute: Callable[[Any], Any],
    commit: Callable[[], None],
    name: str,
    key: str,
    columns: Sequence[str],
    cipher: Any,
    batch_size: int,
) -> int:
    """Re-encrypt one table's values in batches of rows, committing each batch."""
    table = sa.table(name, sa.column(key), *(sa.column(column) for column in columns))
    last: Any = None
    rotated = 0
    while True:
        query = select(table).order_by(table.c[key]).limit(batch_size)
        if last is not None:
            query = query.where(table.c[key] > last)
        rows = execute(query).mappings().all()
        if not rows:
            return rotated
        for row in rows:
            changes = {}
            for column in columns:
                if row[column] is not None:
                    new = _reencrypt(row[column], cipher)
                    if new is not None:
                        changes[column] = new
            if changes:
                # Only if unchanged since read: a value written meanwhile is already current.
                unchanged = [table.c[column] == row[column] for column in changes]
                execute(
                    sa.update(table).where(table.c[key] == row[key], *unchanged).values(**changes)
                )
                rotated += 1
        commit()
        last = rows[-1][key]


def rotate_keys(
    session: Session,
    actor: str,
    *,
    batch_size: int = 200,
    conf: settings.Settings,
    conversations: ConversationArchive | None = None,
) -> dict[str, int]:
    """Re-encrypt every stored value with the newest SPINECARE_DATA_KEYS key.

    Rows already under the newest key are skipped, and each batch is committed, so
    an interrupted rotation is resumed by running it again. Afterwards the older
    keys can be removed from the settings. Returns the rows re-encrypted per table
    (the conversation store's events as "conversation_events"); audited with counts.
    """
    cipher = crypto.current_cipher()
    counts = {
        name: _rotate_table(
            session.execute, session.commit, name, "id", columns, cipher, batch_size
        )
        for name, columns in encrypted_columns().items()
    }
    with open_archive(conf, conversations) as conversations:
        engine = conversations._sql() if conversations.kind == "sql" else None
        counts["conversation_events"] = 0
        if engine is not None:
            with engine.connect() as connection:
                counts["conversation_events"] = _rotate_table(
                    connection.execute,
                    connection.commit,
                    "events",
                    "id",
                    ["data"],
                    cipher,
                    batch_size,
                )
    repository.record_audit(session, actor, "privacy_rotate_key", None, counts)
    session.commit()
    return counts
