"""What the assistant, the console and the CLI do with requests, each in one transaction.

Entry points call these instead of the repository, so a rule that belongs to the act
(a structured log line without patient data, the schema policy, which database) is
written once, and the storage can change without touching a conversation
(docs/architecture.md). The entry point hands in its settings; nothing here reads them.
"""

from __future__ import annotations

from typing import Any

from spinecare import bootstrap
from spinecare.delivery import outbox
from spinecare.events import log_event
from spinecare.settings import Settings
from spinecare.storage import repository


def submit_mri_review(conf: Settings, fields: dict[str, Any], submission_key: str) -> str:
    """Store a consented MRI review request with its delivery jobs; returns its reference.

    The database and the notifications queued are `conf`'s. The same `submission_key`
    stores one request however often it is retried. Raises
    repository.InvalidSubmission for fields the declaration refuses.
    """
    with bootstrap.sessions(conf.database_url, conf=conf)() as session:
        return repository.submit_request(
            session, fields, submission_key, outbox_kinds=conf.outbox_kinds
        )


def submit_callback(conf: Settings, fields: dict[str, Any], submission_key: str) -> str:
    """Store a consented call-back request with its delivery jobs; returns its reference."""
    with bootstrap.sessions(conf.database_url, conf=conf)() as session:
        return repository.submit_callback(
            session, fields, submission_key, outbox_kinds=conf.outbox_kinds
        )


def mark(session, reference: str, status: str, actor: str, *, via: str):
    """Set a request's status (audited by the repository); returns the request."""
    request = repository.mark(session, reference, status, actor)
    log_event("request.marked", reference=request.reference, status=status, via=via)
    return request


def delete(session, reference: str, actor: str, *, via: str) -> None:
    """Delete a request and its personal data (the audit keeps who, when, which reference)."""
    repository.delete(session, reference, actor)
    log_event("request.deleted", reference=reference, via=via)


def export(session, actor: str, *, file_format: str, destination: str) -> list[dict[str, Any]]:
    """Every request as export rows (audited with the format and where it went)."""
    rows = repository.export_rows(
        session, actor=actor, detail={"format": file_format, "destination": destination}
    )
    log_event("requests.exported", count=len(rows), via=destination)
    return rows


def retry_notification(session, job_id: int, actor: str, *, via: str) -> None:
    """Put a dead delivery job back in the outbox (audited as `outbox_retry`).

    Raises outbox.NotRetryable unless the job is dead, outbox.UnknownJob if there is none.
    """
    outbox.retry_job(session, job_id, actor)
    log_event("outbox.retried", job_id=job_id, via=via)
