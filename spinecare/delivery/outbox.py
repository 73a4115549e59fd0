"""Operator operations on the outbox: list notification jobs, re-queue a dead one.

Why a module of its own: the CLI (`spinecare outbox list|retry`) and the web console
both need them, and neither should have to load the dispatcher's senders (SMTP,
webhook) to look at the queue. Each works on the caller's session; `retry_job`
audits and commits. `spinecare.delivery.dispatcher` re-exports these names, so
code that finds them there keeps working.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinecare.events import log_event
from spinecare.storage import repository
from spinecare.storage.models import OUTBOX_STATUSES, OutboxJob, utcnow


class UnknownJob(LookupError):
    def __init__(self, job_id: int) -> None:
        super().__init__(f"no outbox job {job_id}")
        self.job_id = job_id


class NotRetryable(ValueError):
    """Only dead jobs go back to pending; the others are queued or done already."""


def retry_job(
    session: Session, job_id: int, actor: str, *, now: datetime | None = None
) -> OutboxJob:
    """Put a dead job back to pending (audited as `outbox_retry`); commits."""
    job = session.get(OutboxJob, job_id)
    if job is None:
        raise UnknownJob(job_id)
    if job.status != "dead":
        session.rollback()
        raise NotRetryable(f"outbox job {job_id} is {job.status}; only dead jobs can be retried")
    previous = job.attempts
    job.status = "pending"
    job.attempts = 0
    job.next_attempt_at = now or utcnow()
    repository.record_audit(
        session,
        actor,
        "outbox_retry",
        job.request_reference,
        {"job_id": job.id, "kind": job.kind, "attempts": previous},
    )
    session.commit()
    log_event("outbox.retry", job_id=job.id, kind=job.kind, reference=job.request_reference)
    return job


def list_jobs(
    session: Session, *, status: str | None = None, limit: int | None = None
) -> list[OutboxJob]:
    """Outbox jobs, oldest first; they hold references and errors, no personal data."""
    query = select(OutboxJob).order_by(OutboxJob.id)
    if status is not None:
        if status not in OUTBOX_STATUSES:
            raise ValueError(f"status must be one of {', '.join(OUTBOX_STATUSES)}")
        query = query.where(OutboxJob.status == status)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())
