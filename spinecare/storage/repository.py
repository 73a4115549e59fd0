"""Every read and write of MRI review requests, each one audited when a person does it.

Why functions over a session rather than ad-hoc queries: requests hold personal
health data, and HIPAA's habits (minimum necessary, an audit trail, export and
deletion on request) are only kept if all code goes through the same few doors.

Transactions: each function that writes commits its own work, so call it with a
session that holds nothing else pending. `submit_request` writes the request, its
outbox jobs and an audit event in one transaction: either all of them are stored
or none is.

Idempotency: a submission key identifies one completed intake. Submitting the same
key again (a retried action, a double click, two action servers racing) returns
the first request's reference and stores nothing new; the unique constraint on
the key decides races, so it holds across processes and databases.

Callbacks: `submit_callback` stores a "call me back" request in the same table,
marked `request_type = "callback"`, with the same idempotency, outbox and audit
rules. Its reference keeps the MRI- prefix on purpose: every lookup path
(`normalise_reference`, REFERENCE_PATTERN, the assistant's status questions, the
CLI and console) already understands it, and `request_type` tells the two apart.

Nothing here logs or puts into an exception message any value of a request.

One file of about 420 lines on purpose: it is the one door to the requests table
(submission, reading, changing, deleting), and those share the reference rules and
the audit; the console's read-only queries live in `queries.py`, the operator's outbox
operations in `spinecare.delivery.outbox`, the messaging records in `messaging.py`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinecare import requests
from spinecare.requests import REQUEST_TYPES, STATUSES, InvalidSubmission
from spinecare.storage.models import (
    OUTBOX_KINDS,
    AuditEvent,
    OutboxJob,
    PatientRequest,
    utcnow,
)

# No 0/O, 1/I/L: a reference read out over the phone or copied by hand stays unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PATTERN = re.compile(rf"^MRI-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{2}}$")
_REFERENCE_ATTEMPTS = 8

# Every field list is derived from the one declaration in spinecare/requests.py.
SUBMISSION_FIELDS = tuple(f.submitted_name for f in requests.submitted_fields(requests.MRI_REVIEW))
CALLBACK_FIELDS = tuple(f.submitted_name for f in requests.submitted_fields(requests.CALLBACK))

# The outbox event each request type announces; job payloads carry only this and the reference.
CREATED_EVENTS = {
    "mri_review": "mri_review_request.created",
    "callback": "callback_request.created",
}

# How each field is named to a person (console detail page, `spinecare requests show`).
FIELD_LABELS = requests.labels(requests.CONSOLE)
EXPORT_FIELDS = requests.output_fields(requests.EXPORT)

ASSISTANT_ACTOR = "assistant"


class UnknownReference(LookupError):
    """No request has this reference (it never existed, or it was deleted)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no MRI review request with reference {reference}")
        self.reference = reference


# --- references ---------------------------------------------------------------------


def new_reference() -> str:
    """A random reference like MRI-7KQ2-9X (about 887 million possibilities)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"MRI-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Canonical form of a reference as a person types it ("mri 7kq2 9x", "MRI7KQ29X").

    Returns the input upper-cased when it cannot be a reference, so that a lookup
    simply finds nothing.
    """
    compact = re.sub(r"[\s\-_]", "", text or "").upper()
    match = re.fullmatch(r"(?:MRI)?([A-Z0-9]{4})([A-Z0-9]{2})", compact)
    return f"MRI-{match.group(1)}-{match.group(2)}" if match else (text or "").strip().upper()


# --- submission ---------------------------------------------------------------------


def _find_by_submission_key(session: Session, submission_key: str) -> str | None:
    return session.execute(
        select(PatientRequest.reference).where(PatientRequest.submission_key == submission_key)
    ).scalar_one_or_none()


def _reference_taken(session: Session, reference: str) -> bool:
    return (
        session.execute(
            select(PatientRequest.id).where(PatientRequest.reference == reference)
        ).first()
        is not None
    )


def _enqueue_jobs(
    session: Session,
    reference: str,
    kinds: Iterable[str],
    now: datetime,
    request_type: str = "mri_review",
) -> list[OutboxJob]:
    """One pending job per notification kind.

    The payload names the request and no personal data: the worker that delivers a
    job reads the request when it sends, so a correction or a deletion made in the
    meantime is honoured and the data lives in one row only.
    """
    event = CREATED_EVENTS[request_type]
    key_prefix = event.rsplit(".", 1)[0].replace("_", "-")
    jobs = [
        OutboxJob(
            request_reference=reference,
            kind=kind,
            idempotency_key=f"{key_prefix}/{reference}/{kind}",
            payload={"event": event, "reference": reference},
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for kind in kinds
    ]
    session.add_all(jobs)
    session.flush()
    return jobs


def submit_request(
    session: Session,
    fields: Mapping[str, Any],
    submission_key: str,
    *,
    outbox_kinds: Iterable[str],
) -> str:
    """Store a completed intake and queue its notifications; return its reference.

    `fields` uses the keys in SUBMISSION_FIELDS (values as the validators return
    them); `outbox_kinds` are the notifications to queue (the process's
    SPINECARE_OUTBOX_KINDS, handed in by `spinecare.services`). Raises
    InvalidSubmission for unusable fields. The same `submission_key` always yields
    the same reference and a single stored request.
    """
    kinds = _checked_kinds(submission_key, outbox_kinds)
    now = utcnow()
    values = requests.validate_submission(fields, requests.MRI_REVIEW, now.date())
    return _store(
        session,
        values,
        submission_key,
        kinds,
        now,
        "mri_review",
        {"channel": values["channel"], "outbox": list(kinds)},
    )


def _checked_kinds(submission_key: Any, outbox_kinds: Iterable[str]) -> tuple[str, ...]:
    if not isinstance(submission_key, str) or not 0 < len(submission_key) <= 128:
        raise InvalidSubmission(["submission_key must be 1 to 128 characters"])
    kinds = tuple(outbox_kinds)
    if any(kind not in OUTBOX_KINDS for kind in kinds):
        raise InvalidSubmission([f"outbox kinds must be among {', '.join(OUTBOX_KINDS)}"])
    return kinds


def _store(
    session: Session,
    values: Mapping[str, Any],
    submission_key: str,
    kinds: tuple[str, ...],
    now: datetime,
    request_type: str,
    audit_detail: Mapping[str, Any],
) -> str:
    """Insert the request, its outbox jobs and the audit event in one transaction."""
    existing = _find_by_submission_key(session, submission_key)
    if existing is not None:
        session.rollback()
        return existing

    for _ in range(_REFERENCE_ATTEMPTS):
        reference = new_reference()
        try:
            session.add(
                PatientRequest(
                    reference=reference,
                    request_type=request_type,
                    submission_key=submission_key,
                    status="new",
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            session.flush()
            _enqueue_jobs(session, reference, kinds, now, request_type)
            record_audit(session, ASSISTANT_ACTOR, "create", reference, audit_detail)
            session.commit()
            return reference
        except IntegrityError:
            session.rollback()
            existing = _find_by_submission_key(session, submission_key)
            if existing is not None:
                session.rollback()
                return existing
            if not _reference_taken(session, reference):
                raise
            session.rollback()
        except BaseException:
            session.rollback()
            raise
    raise RuntimeError("could not find a free request reference; try again")


def submit_callback(
    session: Session,
    fields: Mapping[str, Any],
    submission_key: str,
    *,
    outbox_kinds: Iterable[str],
) -> str:
    """Store a request to be called back and queue its notifications; return its reference.

    `fields` uses the keys in CALLBACK_FIELDS: first_name, last_name, phone (E.164),
    best_time, the consent fields of `consent.consent_record(channel)`, and
    optionally contact_method (only "call"), email, notes (stored as
    patient_notes, at most 1000 characters), conversation_id. Same guarantees as
    `submit_request`: one request per `submission_key`, stored together with its
    outbox jobs and audit event or not at all.
    """
    kinds = _checked_kinds(submission_key, outbox_kinds)
    now = utcnow()
    values = requests.validate_submission(fields, requests.CALLBACK, now.date())
    return _store(
        session,
        values,
        submission_key,
        kinds,
        now,
        "callback",
        {"channel": values["channel"], "outbox": list(kinds), "request_type": "callback"},
    )


# --- reading, changing, deleting ----------------------------------------------------


def record_audit(
    session: Session,
    actor: str,
    action: str,
    reference: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the caller's work).

    `detail` must not hold personal data: counts, formats, statuses.
    """
    actor = (actor or "").strip()
    if not actor:
        raise ValueError("an audit event needs an actor")
    event = AuditEvent(
        at=utcnow(),
        actor=actor[:128],
        action=action,
        reference=reference,
        detail=dict(detail) if detail else None,
    )
    session.add(event)
    return event


def list_requests(
    session: Session,
    *,
    status: str | None = None,
    limit: int | None = None,
    actor: str | None = None,
    request_type: str | None = None,
) -> list[PatientRequest]:
    """Requests, newest first, each with its `request_type`; optionally of one type only.

    With `actor`, the listing is recorded in the audit trail.
    """
    query = select(PatientRequest).order_by(
        PatientRequest.created_at.desc(), PatientRequest.id.desc()
    )
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        query = query.where(PatientRequest.status == status)
    if request_type is not None:
        if request_type not in REQUEST_TYPES:
            raise ValueError(f"request_type must be one of {', '.join(REQUEST_TYPES)}")
        query = query.where(PatientRequest.request_type == request_type)
    if limit is not None:
        query = query.limit(limit)
    requests = list(session.execute(query).scalars())
    if actor is not None:
        detail: dict[str, Any] = {"count": len(requests), "status": status}
        if request_type is not None:
            detail["request_type"] = request_type
        record_audit(session, actor, "list", None, detail)
        session.commit()
    return requests


def _get(session: Session, reference: str) -> PatientRequest:
    reference = normalise_reference(reference)
    request = session.execute(
        select(PatientRequest).where(PatientRequest.reference == reference)
    ).scalar_one_or_none()
    if request is None:
        raise UnknownReference(reference)
    return request


def get_request(session: Session, reference: str, *, actor: str | None = None) -> PatientRequest:
    """One request (UnknownReference if none). With `actor`, the view is audited."""
    request = _get(session, reference)
    if actor is not None:
        record_audit(session, actor, "view", request.reference)
        session.commit()
    return request


def mark(session: Session, reference: str, status: str, actor: str) -> PatientRequest:
    """Set a request's status (new, contacted or closed) and audit the change."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    request = _get(session, reference)
    previous = request.status
    request.status = status
    request.updated_at = utcnow()
    record_audit(session, actor, "mark", request.reference, {"from": previous, "to": status})
    session.commit()
    return request


def delete(session: Session, reference: str, actor: str) -> None:
    """Remove a request and its outbox jobs; the audit trail keeps only the reference."""
    request = _get(session, reference)
    reference = request.reference
    jobs = session.execute(
        sql_delete(OutboxJob)
        .where(OutboxJob.request_reference == reference)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.execute(
        sql_delete(PatientRequest)
        .where(PatientRequest.reference == reference)
        .execution_options(synchronize_session=False)
    )
    session.expunge(request)
    record_audit(session, actor, "delete", reference, {"outbox_jobs": jobs})
    session.commit()


def as_dict(request: PatientRequest) -> dict[str, Any]:
    """A request as JSON-ready values (ISO dates, lists), in EXPORT_FIELDS order."""
    row: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        value = getattr(request, name)
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif isinstance(value, list):
            value = list(value)
        row[name] = value
    return row


def export_rows(
    session: Session,
    *,
    actor: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every request as a dict (oldest first). With `actor`, the export is audited."""
    requests = session.execute(
        select(PatientRequest).order_by(PatientRequest.created_at, PatientRequest.id)
    ).scalars()
    rows = [as_dict(request) for request in requests]
    if actor is not None:
        record_audit(session, actor, "export", None, {"count": len(rows), **(detail or {})})
        session.commit()
    return rows


def outbox_jobs(session: Session, reference: str | None = None) -> list[OutboxJob]:
    query = select(OutboxJob).order_by(OutboxJob.id)
    if reference is not None:
        query = query.where(OutboxJob.request_reference == normalise_reference(reference))
    return list(session.execute(query).scalars())


def audit_events(session: Session, reference: str | None = None) -> list[AuditEvent]:
    """The audit trail, oldest first, optionally for one reference."""
    query = select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
    if reference is not None:
        query = query.where(AuditEvent.reference == normalise_reference(reference))
    return list(session.execute(query).scalars())
