"""Retention: delete what has outlived its retention setting.

Why a module of its own: "how long do you keep it?" has one answer per kind of
record (docs/privacy.md), and this is where it is applied: closed requests,
delivered and dead outbox jobs, stored conversations, sign-in attempts. The
dispatcher runs `purge()` every SPINECARE_PURGE_INTERVAL_HOURS; `spinecare privacy
purge` runs it by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from spinecare import settings
from spinecare.privacy.conversations import _BATCH, ConversationArchive, open_archive
from spinecare.storage import repository
from spinecare.storage.models import LoginAttempt, OutboxJob, PatientRequest, utcnow


@dataclass
class PurgeResult:
    closed_requests: int = 0
    outbox_jobs: int = 0
    conversations: int = 0
    login_attempts: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def purge(
    session: Session,
    actor: str,
    *,
    conf: settings.Settings,
    conversations: ConversationArchive | None = None,
    now: datetime | None = None,
) -> PurgeResult:
    """Delete what has outlived its retention setting; audit the counts."""
    now = now or utcnow()
    result = PurgeResult()

    closed_cutoff = now - timedelta(days=conf.closed_request_retention_days)
    references = list(
        session.execute(
            select(PatientRequest.reference).where(
                PatientRequest.status == "closed", PatientRequest.updated_at < closed_cutoff
            )
        ).scalars()
    )
    for start in range(0, len(references), _BATCH):
        batch = references[start : start + _BATCH]
        result.outbox_jobs += _delete_jobs(session, OutboxJob.request_reference.in_(batch))
        result.closed_requests += session.execute(
            delete(PatientRequest)
            .where(PatientRequest.reference.in_(batch))
            .execution_options(synchronize_session=False)
        ).rowcount

    outbox_cutoff = now - timedelta(days=conf.outbox_retention_days)
    result.outbox_jobs += _delete_jobs(
        session,
        or_(
            (OutboxJob.status == "delivered") & (OutboxJob.delivered_at < outbox_cutoff),
            (OutboxJob.status == "dead") & (OutboxJob.created_at < outbox_cutoff),
        ),
    )

    login_cutoff = now - timedelta(days=conf.login_attempt_retention_days)
    result.login_attempts = session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.at < login_cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()

    with open_archive(conf, conversations) as conversations:
        result.conversations = conversations.expire(
            conf.conversation_retention_hours, now=now.timestamp()
        )

    repository.record_audit(session, actor, "privacy_purge", None, result.as_dict())
    session.commit()
    return result


def _delete_jobs(session: Session, condition: Any) -> int:
    return session.execute(
        delete(OutboxJob).where(condition).execution_options(synchronize_session=False)
    ).rowcount
