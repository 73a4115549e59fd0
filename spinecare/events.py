"""Structured, privacy-safe event logs: one JSON line per event, keyed by conversation id.

Why a helper instead of plain `logging` calls: a log line is the easiest place for
health data to leak. Every event goes through `log_event`, which accepts only
field names on an allow-list of non-personal facts (counts, codes, outcomes),
so a careless `log_event(..., email=...)` fails loudly in tests instead of
writing a patient's email to disk.
"""

from __future__ import annotations

import json
import logging
import time

logger = logging.getLogger("spinecare.events")

SAFE_FIELDS = frozenset(
    {
        "action",
        "attempt",
        "attempts",
        "channel",
        "count",
        "field",
        "intent",
        "job_id",
        "kind",
        "outcome",
        "reference",
        "severity",
        "status",
        "topic",
        "confidence",
        "duration_ms",
        "error_type",
        "via",  # which tool acted on a request: console, cli
    }
)


def log_event(event: str, conversation_id: str | None = None, **fields: object) -> None:
    """Write one event line; raises ValueError for a field that is not on the allow-list."""
    unknown = set(fields) - SAFE_FIELDS
    if unknown:
        raise ValueError(f"not allowed in logs (possible personal data): {sorted(unknown)}")
    record = {"ts": round(time.time(), 3), "event": event, "conversation_id": conversation_id}
    record.update(fields)
    logger.info(json.dumps(record, sort_keys=True, default=str))
