"""What the dispatcher and every sender share: the claimed job and the failure type.

Why a dedicated failure type: a sender's exception message ends up in
`outbox_job.last_error`, shown by the CLI and the console. Library exceptions can
quote addresses, URLs or server replies, so senders translate them into a
DeliveryFailed whose message they wrote themselves; the dispatcher stores only
the class name of any other exception.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from spinecare.storage.models import PatientRequest


@dataclass(frozen=True)
class Job:
    """An outbox job as claimed by one dispatcher (attempts already counts this one)."""

    id: int
    kind: str
    reference: str
    idempotency_key: str
    event: str
    attempts: int
    lease_until: datetime


class DeliveryFailed(Exception):
    """A send that did not succeed; the message must hold no personal data."""

    def __init__(self, message: str, *, error_type: str | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type or type(self).__name__


class Sender(Protocol):
    kind: str

    def problem(self) -> str | None:
        """Why this sender cannot deliver (missing or unsafe settings), or None."""

    def send(self, job: Job, request: PatientRequest) -> None:
        """Deliver `job` about `request` or raise; must be safe to repeat for one job."""


def printable(value: object) -> str:
    """Text with control and format characters replaced by spaces (one line per value)."""
    text = "" if value is None else str(value)
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    ).strip()
