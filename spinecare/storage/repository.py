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
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinecare import settings
from spinecare.intake import validators
from spinecare.storage.models import (
    OUTBOX_KINDS,
    REQUEST_TYPES,
    STATUSES,
    AuditEvent,
    MriReviewRequest,
    OutboxJob,
    utcnow,
)

# No 0/O, 1/I/L: a reference read out over the phone or copied by hand stays unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PATTERN = re.compile(rf"^MRI-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{2}}$")
_REFERENCE_ATTEMPTS = 8

REQUIRED_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "adult",
    "has_mri",
    "contact_method",
    "best_time",
    "consent",
    "consent_version",
    "consent_text",
    "channel",
)
OPTIONAL_FIELDS = (
    "email",
    "zip_code",
    "state",
    "mri_taken",
    "mri_older_than_two_years",
    "mri_region",
    "symptoms",
    "symptom_entities",
    "symptom_duration",
    "treatments_tried",
    "consented_at",
    "conversation_id",
)
SUBMISSION_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

CALLBACK_REQUIRED_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "best_time",
    "consent",
    "consent_version",
    "consent_text",
    "channel",
)
# contact_method may be given but must be "call"; `notes` is stored as patient_notes.
CALLBACK_OPTIONAL_FIELDS = ("contact_method", "email", "notes", "consented_at", "conversation_id")
CALLBACK_FIELDS = CALLBACK_REQUIRED_FIELDS + CALLBACK_OPTIONAL_FIELDS
CALLBACK_NOTES_MAX_CHARS = 1000

# The outbox event each request type announces; job payloads carry only this and the reference.
CREATED_EVENTS = {
    "mri_review": "mri_review_request.created",
    "callback": "callback_request.created",
}

# How each field is named to a person (console detail page, `spinecare requests show`).
FIELD_LABELS = (
    ("reference", "Reference"),
    ("request_type", "Type"),
    ("status", "Status"),
    ("created_at", "Received"),
    ("updated_at", "Updated"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("zip_code", "ZIP code"),
    ("state", "State"),
    ("adult", "18 or older"),
    ("has_mri", "Has an MRI"),
    ("mri_taken", "MRI taken (month)"),
    ("mri_older_than_two_years", "MRI older than 2 years"),
    ("mri_region", "MRI region"),
    ("symptoms", "Symptoms"),
    ("symptom_entities", "Symptoms noted"),
    ("symptom_duration", "Symptoms for"),
    ("treatments_tried", "Treatments tried"),
    ("patient_notes", "Notes from the person"),
    ("contact_method", "Contact by"),
    ("best_time", "Best time"),
    ("consent", "Consent to contact"),
    ("consent_version", "Consent version"),
    ("consented_at", "Consented at"),
    ("consent_text", "Consent text shown"),
    ("channel", "Channel"),
    ("conversation_id", "Conversation"),
    ("submission_key", "Submission key"),
)

EXPORT_FIELDS = (
    "reference",
    "request_type",
    "status",
    "created_at",
    "updated_at",
    "first_name",
    "last_name",
    "phone",
    "email",
    "zip_code",
    "state",
    "adult",
    "has_mri",
    "mri_taken",
    "mri_older_than_two_years",
    "mri_region",
    "symptoms",
    "symptom_entities",
    "symptom_duration",
    "treatments_tried",
    "patient_notes",
    "contact_method",
    "best_time",
    "consent",
    "consent_version",
    "consent_text",
    "consented_at",
    "channel",
    "conversation_id",
)

ASSISTANT_ACTOR = "assistant"


class UnknownReference(LookupError):
    """No request has this reference (it never existed, or it was deleted)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no MRI review request with reference {reference}")
        self.reference = reference


class InvalidSubmission(ValueError):
    """The fields cannot be stored; `problems` names fields, never their values."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("cannot store the request: " + "; ".join(self.problems))


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


def _text(
    problems: list[str], fields: Mapping[str, Any], name: str, limit: int, *, required: bool
) -> str | None:
    value = fields.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{name} is required")
        return None
    if not isinstance(value, str):
        problems.append(f"{name} must be text")
        return None
    value = value.strip()
    if len(value) > limit:
        problems.append(f"{name} is longer than {limit} characters")
    return value


def _choice(
    problems: list[str],
    fields: Mapping[str, Any],
    name: str,
    choices: tuple[str, ...],
    *,
    required: bool,
) -> str | None:
    value = fields.get(name)
    if value is None:
        if required:
            problems.append(f"{name} is required")
        return None
    if value not in choices:
        problems.append(f"{name} must be one of {', '.join(choices)}")
    return value


def _flag(problems: list[str], fields: Mapping[str, Any], name: str, *, required: bool) -> Any:
    value = fields.get(name)
    if value is None:
        if required:
            problems.append(f"{name} is required")
        return None
    if not isinstance(value, bool):
        problems.append(f"{name} must be true or false")
    return value


def _month(problems: list[str], value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            pass
    problems.append("mri_taken must be a date (YYYY-MM-DD)")
    return None


def _moment(problems: list[str], value: Any) -> datetime:
    if value is None or value == "":
        return utcnow()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problems.append("consented_at must be an ISO 8601 date and time")
            return utcnow()
    if not isinstance(value, datetime) or value.tzinfo is None:
        problems.append("consented_at must be a timezone-aware date and time")
        return utcnow()
    return value.astimezone(timezone.utc)


def _string_list(problems: list[str], value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        problems.append(f"{name} must be a list")
        return []
    items = list(value)
    if not all(isinstance(item, str) and len(item) <= 100 for item in items):
        problems.append(f"{name} must be a list of short texts")
        return []
    return list(dict.fromkeys(items))


def _checked_fields(fields: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The row values for `fields`, or InvalidSubmission listing every problem."""
    problems: list[str] = []
    unknown = sorted(set(fields) - set(SUBMISSION_FIELDS))
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")

    values: dict[str, Any] = {
        "first_name": _text(problems, fields, "first_name", 50, required=True),
        "last_name": _text(problems, fields, "last_name", 50, required=True),
        "phone": _text(problems, fields, "phone", 16, required=True),
        "email": _text(problems, fields, "email", 254, required=False),
        "zip_code": _text(problems, fields, "zip_code", 5, required=False),
        "state": _text(problems, fields, "state", 2, required=False),
        "adult": _flag(problems, fields, "adult", required=True),
        "has_mri": _flag(problems, fields, "has_mri", required=True),
        "mri_taken": _month(problems, fields.get("mri_taken")),
        "mri_older_than_two_years": _flag(
            problems, fields, "mri_older_than_two_years", required=False
        ),
        "mri_region": _choice(
            problems, fields, "mri_region", validators.MRI_REGIONS, required=False
        ),
        "symptoms": _text(
            problems, fields, "symptoms", validators.SYMPTOMS_MAX_CHARS, required=False
        ),
        "symptom_entities": _string_list(
            problems, fields.get("symptom_entities"), "symptom_entities"
        ),
        "symptom_duration": _text(problems, fields, "symptom_duration", 200, required=False),
        "treatments_tried": _string_list(
            problems, fields.get("treatments_tried"), "treatments_tried"
        ),
        "contact_method": _choice(
            problems, fields, "contact_method", validators.CONTACT_METHODS, required=True
        ),
        "best_time": _choice(problems, fields, "best_time", validators.BEST_TIMES, required=True),
        "consent": _flag(problems, fields, "consent", required=True),
        "consent_version": _text(problems, fields, "consent_version", 32, required=True),
        "consent_text": _text(problems, fields, "consent_text", 5000, required=True),
        "consented_at": _moment(problems, fields.get("consented_at")),
        "channel": _text(problems, fields, "channel", 32, required=True),
        "conversation_id": _text(problems, fields, "conversation_id", 128, required=False),
    }

    if values["phone"] and not re.fullmatch(r"\+[1-9]\d{7,14}", values["phone"]):
        problems.append("phone must be in E.164 form, e.g. +12125550182")
    if values["email"] and "@" not in values["email"]:
        problems.append("email must be an email address")
    if values["zip_code"] and not re.fullmatch(r"\d{5}", values["zip_code"]):
        problems.append("zip_code must be 5 digits")
    if values["zip_code"] and not values["state"]:
        located = validators.validate_zip(values["zip_code"])
        if isinstance(located, validators.Valid):
            values["state"] = located.value.state
    if values["state"]:
        values["state"] = values["state"].upper()
        if not re.fullmatch(r"[A-Z]{2}", values["state"]):
            problems.append("state must be a two-letter code")
    else:
        problems.append("state (or a known zip_code) is required")
    if values["adult"] is False:
        problems.append("adult must be true: the MRI review is only for adults")
    if values["consent"] is False:
        problems.append("consent must be true: a request is only stored with consent")
    if values["contact_method"] == "email" and not values["email"]:
        problems.append("email is required when contact_method is email")
    treatments = values["treatments_tried"]
    if any(item not in validators.TREATMENTS for item in treatments):
        problems.append(f"treatments_tried must use {', '.join(validators.TREATMENTS)}")
    if "none" in treatments and len(treatments) > 1:
        problems.append("treatments_tried cannot combine none with other treatments")
    if values["mri_taken"] and values["mri_older_than_two_years"] is None:
        month = today.replace(day=1)
        cutoff = date(month.year - 2, month.month, 1)
        values["mri_older_than_two_years"] = values["mri_taken"] < cutoff

    if problems:
        raise InvalidSubmission(problems)
    return values


def _find_by_submission_key(session: Session, submission_key: str) -> str | None:
    return session.execute(
        select(MriReviewRequest.reference).where(MriReviewRequest.submission_key == submission_key)
    ).scalar_one_or_none()


def _reference_taken(session: Session, reference: str) -> bool:
    return (
        session.execute(
            select(MriReviewRequest.id).where(MriReviewRequest.reference == reference)
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
    outbox_kinds: Iterable[str] | None = None,
) -> str:
    """Store a completed intake and queue its notifications; return its reference.

    `fields` uses the keys in SUBMISSION_FIELDS (values as the validators return
    them); `outbox_kinds` defaults to `settings.load().outbox_kinds`. Raises
    InvalidSubmission for unusable fields. The same `submission_key` always yields
    the same reference and a single stored request.
    """
    kinds = _checked_kinds(submission_key, outbox_kinds)
    now = utcnow()
    values = _checked_fields(fields, now.date())
    return _store(
        session,
        values,
        submission_key,
        kinds,
        now,
        "mri_review",
        {"channel": values["channel"], "outbox": list(kinds)},
    )


def _checked_kinds(submission_key: Any, outbox_kinds: Iterable[str] | None) -> tuple[str, ...]:
    if not isinstance(submission_key, str) or not 0 < len(submission_key) <= 128:
        raise InvalidSubmission(["submission_key must be 1 to 128 characters"])
    kinds = tuple(settings.load().outbox_kinds if outbox_kinds is None else outbox_kinds)
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
                MriReviewRequest(
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


def _checked_callback_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The row values of a callback request, or InvalidSubmission listing every problem."""
    problems: list[str] = []
    unknown = sorted(set(fields) - set(CALLBACK_FIELDS))
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    values: dict[str, Any] = {
        "first_name": _text(problems, fields, "first_name", 50, required=True),
        "last_name": _text(problems, fields, "last_name", 50, required=True),
        "phone": _text(problems, fields, "phone", 16, required=True),
        "email": _text(problems, fields, "email", 254, required=False),
        "patient_notes": _text(problems, fields, "notes", CALLBACK_NOTES_MAX_CHARS, required=False),
        "contact_method": _choice(problems, fields, "contact_method", ("call",), required=False)
        or "call",
        "best_time": _choice(problems, fields, "best_time", validators.BEST_TIMES, required=True),
        "consent": _flag(problems, fields, "consent", required=True),
        "consent_version": _text(problems, fields, "consent_version", 32, required=True),
        "consent_text": _text(problems, fields, "consent_text", 5000, required=True),
        "consented_at": _moment(problems, fields.get("consented_at")),
        "channel": _text(problems, fields, "channel", 32, required=True),
        "conversation_id": _text(problems, fields, "conversation_id", 128, required=False),
        "symptom_entities": [],
        "treatments_tried": [],
    }
    if values["phone"] and not re.fullmatch(r"\+[1-9]\d{7,14}", values["phone"]):
        problems.append("phone must be in E.164 form, e.g. +12125550182")
    if values["email"] and "@" not in values["email"]:
        problems.append("email must be an email address")
    if values["consent"] is False:
        problems.append("consent must be true: a request is only stored with consent")
    if problems:
        raise InvalidSubmission(problems)
    return values


def submit_callback(
    session: Session,
    fields: Mapping[str, Any],
    submission_key: str,
    *,
    outbox_kinds: Iterable[str] | None = None,
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
    values = _checked_callback_fields(fields)
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
) -> list[MriReviewRequest]:
    """Requests, newest first, each with its `request_type`; optionally of one type only.

    With `actor`, the listing is recorded in the audit trail.
    """
    query = select(MriReviewRequest).order_by(
        MriReviewRequest.created_at.desc(), MriReviewRequest.id.desc()
    )
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        query = query.where(MriReviewRequest.status == status)
    if request_type is not None:
        if request_type not in REQUEST_TYPES:
            raise ValueError(f"request_type must be one of {', '.join(REQUEST_TYPES)}")
        query = query.where(MriReviewRequest.request_type == request_type)
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


def _get(session: Session, reference: str) -> MriReviewRequest:
    reference = normalise_reference(reference)
    request = session.execute(
        select(MriReviewRequest).where(MriReviewRequest.reference == reference)
    ).scalar_one_or_none()
    if request is None:
        raise UnknownReference(reference)
    return request


def get_request(session: Session, reference: str, *, actor: str | None = None) -> MriReviewRequest:
    """One request (UnknownReference if none). With `actor`, the view is audited."""
    request = _get(session, reference)
    if actor is not None:
        record_audit(session, actor, "view", request.reference)
        session.commit()
    return request


def mark(session: Session, reference: str, status: str, actor: str) -> MriReviewRequest:
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
        sql_delete(MriReviewRequest)
        .where(MriReviewRequest.reference == reference)
        .execution_options(synchronize_session=False)
    )
    session.expunge(request)
    record_audit(session, actor, "delete", reference, {"outbox_jobs": jobs})
    session.commit()


def as_dict(request: MriReviewRequest) -> dict[str, Any]:
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
        select(MriReviewRequest).order_by(MriReviewRequest.created_at, MriReviewRequest.id)
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
