"""Searches over requests, outbox jobs and the audit trail, paged for a screen.

Why a module of its own next to `repository`: the console's lists (a search with a
status filter, the audit log with its filters, the count of pages) are reads only,
never audited by themselves (the caller records what a person saw), and they grow
with the console's screens rather than with the rules of storing a request. Keeping
them here leaves the console without SQL of its own, and `repository` for the doors
that write or that read one person's request.

Names, phones and emails are stored encrypted (docs/privacy.md), so they are found
through their keyed lookup hashes: exact values only, no partial matches.
"""

from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from spinecare.crypto import stored_lookup_hash
from spinecare.storage.models import AuditEvent, OutboxJob, PatientRequest
from spinecare.storage.repository import normalise_reference


def find_requests(
    db: Session,
    *,
    status: str | None,
    search: str,
    page: int,
    page_size: int,
    email: str | None = None,
    phone: str | None = None,
) -> tuple[list[PatientRequest], int]:
    """One page of requests and how many match: new requests first, then newest first.

    `search` matches a reference (or part of one); `email` and `phone`, normalised as
    stored, match exactly, a phone as the request's phone or as the number it came from.
    """
    conditions = []
    if status:
        conditions.append(PatientRequest.status == status)
    term = search.strip()
    if term:
        matches = [
            PatientRequest.reference == normalise_reference(term),
            PatientRequest.reference.contains(term.upper(), autoescape=True),
        ]
        if email is not None:
            matches.append(PatientRequest.email_hash == stored_lookup_hash(email))
        if phone is not None:
            phone_hash = stored_lookup_hash(phone)
            matches.append(PatientRequest.phone_hash == phone_hash)
            matches.append(PatientRequest.sender_hash == phone_hash)
        conditions.append(or_(*matches))
    total = db.execute(
        select(func.count()).select_from(PatientRequest).where(*conditions)
    ).scalar_one()
    rows = db.execute(
        select(PatientRequest)
        .where(*conditions)
        .order_by(
            case((PatientRequest.status == "new", 0), else_=1),
            PatientRequest.created_at.desc(),
            PatientRequest.id.desc(),
        )
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).scalars()
    return list(rows), total


def find_audit_events(
    db: Session, *, actor: str, action: str, reference: str, page: int, page_size: int
) -> tuple[list[AuditEvent], int]:
    """One page of the audit trail, newest first, and how many events match the filters."""
    conditions = []
    if actor:
        conditions.append(AuditEvent.actor == actor)
    if action:
        conditions.append(AuditEvent.action == action)
    if reference:
        conditions.append(AuditEvent.reference == normalise_reference(reference))
    total = db.execute(select(func.count()).select_from(AuditEvent).where(*conditions)).scalar_one()
    rows = db.execute(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).scalars()
    return list(rows), total


def audit_actions(db: Session) -> list[str]:
    """Every action the audit trail holds, for a filter's choices."""
    return list(
        db.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars()
    )


def outbox_job(db: Session, job_id: int) -> OutboxJob | None:
    return db.get(OutboxJob, job_id)
