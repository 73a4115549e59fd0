"""Tables for MRI review requests, their outgoing notifications and the audit trail.

Why these three: a request holds the patient's personal and health data; an
outbox job records that a notification about it still has to go out, written in
the same transaction so a request is never stored without its notifications (or
the reverse); an audit event records who viewed, exported, changed or deleted a
request, and survives the request's deletion holding only its reference.

The schema itself is created by the Alembic migrations in `migrations/`; a test
checks that these models and the migrations agree.

One file of about 450 lines on purpose: it is one declarative schema (tables, their
constraints, the encrypted and hashed column types they use), and a schema is easier
to check against the migrations when it is read whole.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    exists,
    or_,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import column_property, declarative_base, relationship
from sqlalchemy.types import TypeDecorator

from spinecare import crypto
from spinecare.requests import choice_constraints

OUTBOX_KINDS = ("email", "webhook")
OUTBOX_STATUSES = ("pending", "delivered", "dead")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zones and hands back naive values; this type stores UTC and
    always returns aware UTC datetimes, so comparisons and exports do not depend on
    the database in use.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


JSONType = JSON().with_variant(JSONB(), "postgresql")


# Constraint names as migration 0001 created them, where they differ from the column.
CONSTRAINT_NAMES = {"contact_method": "contact"}


class EncryptedText(TypeDecorator):
    """Text stored as a Fernet token (`spinecare.crypto`, issue 12); Python sees the value.

    Encrypted with the newest SPINECARE_DATA_KEYS key, decrypted with any; a value
    stored before encryption (not a token) reads as it is until the migration or
    `spinecare privacy rotate-key` encrypts it. A token cannot be compared: exact
    lookups use the keyed-hash columns (`*_hash`) instead.
    """

    impl = Text
    cache_ok = True

    def dump(self, value: Any) -> str:
        return str(value)

    def load(self, text: str) -> Any:
        return text

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return crypto.current_cipher().encrypt(self.dump(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        stored = crypto.current_cipher().decrypt(value) if crypto.is_token(value) else value
        return self.load(stored)


class EncryptedJSON(EncryptedText):
    """A JSON value (a list of short texts) stored as an encrypted JSON text."""

    cache_ok = True

    def dump(self, value: Any) -> str:
        return json.dumps(value)

    def load(self, text: str) -> Any:
        return json.loads(text)


class EncryptedDate(EncryptedText):
    """A date stored as its encrypted ISO text (YYYY-MM-DD)."""

    cache_ok = True

    def dump(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    def load(self, text: str) -> Any:
        return date.fromisoformat(text[:10])


# The lookup key's HMAC-SHA256 in hex (`crypto.stored_lookup_hash`).
LookupHash = String(64)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class PatientRequest(Base):
    """One request from a patient: an MRI review or a call-back (`request_type`).

    The table keeps its first name, `mri_review_request` (from before call-backs
    were stored here too), so renaming the class needed no migration.
    """

    __tablename__ = "mri_review_request"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    first_name = Column(EncryptedText, nullable=False)
    last_name = Column(EncryptedText, nullable=False)
    phone = Column(EncryptedText, nullable=False)
    email = Column(EncryptedText)
    zip_code = Column(EncryptedText)
    request_type = Column(
        String(16), nullable=False, default="mri_review", server_default=text("'mri_review'")
    )
    # Nullable since revision 0002 because a callback does not ask for them; the
    # repository still requires them for an MRI review.
    state = Column(String(2))
    adult = Column(Boolean)
    has_mri = Column(Boolean)
    mri_taken = Column(EncryptedDate)
    mri_older_than_two_years = Column(Boolean)
    mri_region = Column(EncryptedText)
    symptoms = Column(EncryptedText)
    # A callback's optional note in the person's own words (may mention health).
    patient_notes = Column(EncryptedText)
    symptom_entities = Column(EncryptedJSON, nullable=False, default=list)
    symptom_duration = Column(EncryptedText)
    treatments_tried = Column(EncryptedJSON, nullable=False, default=list)
    contact_method = Column(String(8), nullable=False)
    best_time = Column(String(16), nullable=False)
    consent = Column(Boolean, nullable=False)
    consent_version = Column(String(32), nullable=False)
    consent_text = Column(Text, nullable=False)
    consented_at = Column(UTCDateTime, nullable=False)
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(128))
    # Who the consent came from on a text channel (revision 0004): the E.164 phone number
    # on SMS/WhatsApp, "messenger:<page-scoped id>" on Messenger; empty on the web chat.
    sender = Column(EncryptedText)
    # Keyed hashes of phone, email (lower-cased) and sender for exact lookups (revision 0005).
    phone_hash = Column(LookupHash)
    email_hash = Column(LookupHash)
    sender_hash = Column(LookupHash)
    submission_key = Column(String(128), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default="new", server_default=text("'new'"))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    outbox_jobs = relationship(
        "OutboxJob", back_populates="request", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        # One per choice field of the declaration (spinecare/requests.py).
        *(
            CheckConstraint(_one_of(column, values), name=CONSTRAINT_NAMES.get(column, column))
            for column, values in choice_constraints()
        ),
        Index("ix_mri_review_request_created_at", "created_at"),
        Index("ix_mri_review_request_status", "status"),
        Index("ix_mri_review_request_request_type", "request_type"),
        Index("ix_mri_review_request_phone_hash", "phone_hash"),
        Index("ix_mri_review_request_email_hash", "email_hash"),
        Index("ix_mri_review_request_sender_hash", "sender_hash"),
    )

    def __repr__(self) -> str:
        return f"<PatientRequest {self.reference} {self.status}>"


class OutboxJob(Base):
    __tablename__ = "outbox_job"

    id = Column(Integer, primary_key=True)
    request_reference = Column(
        String(16),
        ForeignKey("mri_review_request.reference", ondelete="CASCADE"),
        nullable=False,
    )
    kind = Column(String(16), nullable=False)
    idempotency_key = Column(String(64), nullable=False, unique=True)
    payload = Column(JSONType, nullable=False)
    status = Column(String(16), nullable=False, default="pending", server_default=text("'pending'"))
    attempts = Column(Integer, nullable=False, default=0, server_default=text("0"))
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_error = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    delivered_at = Column(UTCDateTime)

    request = relationship("PatientRequest", back_populates="outbox_jobs")

    __table_args__ = (
        CheckConstraint(_one_of("kind", OUTBOX_KINDS), name="kind"),
        CheckConstraint(_one_of("status", OUTBOX_STATUSES), name="status"),
        Index("ix_outbox_job_due", "status", "next_attempt_at"),
        Index("ix_outbox_job_request_reference", "request_reference"),
    )

    def __repr__(self) -> str:
        return f"<OutboxJob {self.kind} {self.request_reference} {self.status}>"


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    actor = Column(String(128), nullable=False)
    action = Column(String(32), nullable=False)
    reference = Column(String(16))
    detail = Column(JSONType)

    __table_args__ = (
        Index("ix_audit_event_reference", "reference"),
        Index("ix_audit_event_at", "at"),
    )

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.reference} by {self.actor}>"


# --- consultants' web console (revision 0003) ----------------------------------------

LOGIN_OUTCOMES = ("failed", "locked", "ok")


class ConsultantUser(Base):
    """A person who may sign in to the web console; disabled rather than deleted.

    Rows are never removed, so the actor names in the audit trail keep meaning one
    person and a former consultant's name cannot be given to someone else.
    """

    __tablename__ = "consultant_user"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    disabled = Column(Boolean, nullable=False, default=False, server_default=text("false"))

    def __repr__(self) -> str:
        return f"<ConsultantUser {self.username}{' disabled' if self.disabled else ''}>"


class ConsoleSignIn(Base):
    """A signed-in browser; the cookie holds a token whose SHA-256 is the id here.

    Kept server-side so that signing out, disabling a user or an idle timeout ends
    the sign-in at once, whatever copies of the cookie exist. (The table keeps its
    first name, `console_session`: renaming the class needed no migration.)
    """

    __tablename__ = "console_session"

    id = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("consultant_user.id", ondelete="CASCADE"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)

    user = relationship("ConsultantUser")

    __table_args__ = (Index("ix_console_session_user_id", "user_id"),)


class LoginAttempt(Base):
    """One sign-in attempt, so rate limits hold across restarts and worker processes."""

    __tablename__ = "login_attempt"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    username = Column(String(64), nullable=False)
    ip = Column(String(64), nullable=False)
    outcome = Column(String(8), nullable=False)

    __table_args__ = (
        CheckConstraint(_one_of("outcome", LOGIN_OUTCOMES), name="outcome"),
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
        Index("ix_login_attempt_at", "at"),
    )


# --- text messaging channels (revision 0004) -----------------------------------------

MESSAGING_CHANNELS = ("sms", "whatsapp", "messenger")
OPT_OUT_METHODS = ("keyword", "plain_language")


class MessagingContact(Base):
    """A person on a text channel and the pseudonymous conversation id Rasa knows them by.

    Why: the phone number must not be the conversation id, which appears in logs and
    in the request's `conversation_id`; the channels look the number up here when they
    answer. `pending_choices` are the numbered choices last shown, so that a reply of
    "2" means the same thing on whichever server replica receives it.
    """

    __tablename__ = "messaging_contact"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(64), nullable=False, unique=True)
    channel = Column(String(16), nullable=False)
    address = Column(EncryptedText, nullable=False)
    address_hash = Column(LookupHash, nullable=False)
    pending_choices = Column(EncryptedJSON)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    # The person's last message: WhatsApp and Messenger allow free-form replies for 24 hours.
    last_inbound_at = Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        UniqueConstraint(
            "channel", "address_hash", name="uq_messaging_contact_channel_address_hash"
        ),
        CheckConstraint(_one_of("channel", MESSAGING_CHANNELS), name="channel"),
    )


class MessagingOptOut(Base):
    """The opt-out registry: one row per phone number (or Messenger id) that ever said STOP.

    A phone number is one address for SMS and WhatsApp alike (revoking consent to be
    texted is not channel-specific); a Messenger person is "messenger:<page-scoped id>".
    START keeps the row with `opted_out` false, so the history of consent stays visible.
    """

    __tablename__ = "messaging_opt_out"

    id = Column(Integer, primary_key=True)
    address = Column(EncryptedText, nullable=False)
    address_hash = Column(LookupHash, nullable=False, unique=True)
    opted_out = Column(Boolean, nullable=False)
    # Where and how the last change was made.
    channel = Column(String(16), nullable=False)
    method = Column(String(16))
    opted_out_at = Column(UTCDateTime)
    opted_in_at = Column(UTCDateTime)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (CheckConstraint(_one_of("channel", MESSAGING_CHANNELS), name="channel"),)


class InboundMessage(Base):
    """Provider message ids already taken in, so a retried webhook is processed once.

    In the database rather than in memory so that every server replica sees the same
    set; rows older than a week are removed as new ones arrive.
    """

    __tablename__ = "messaging_inbound"

    id = Column(Integer, primary_key=True)
    provider = Column(String(16), nullable=False)
    message_id = Column(String(128), nullable=False)
    received_at = Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        UniqueConstraint("provider", "message_id", name="uq_messaging_inbound_provider_message"),
        Index("ix_messaging_inbound_received_at", "received_at"),
    )


# Whether the person behind a request has opted out of text messages (by phone number or
# Messenger sender): loaded with every request, so the console, the CLI and the delivery
# to the consultants all see it without a query of their own.
PatientRequest.messages_opted_out = column_property(
    exists()
    .where(MessagingOptOut.opted_out.is_(True))
    .where(
        or_(
            MessagingOptOut.address_hash == PatientRequest.phone_hash,
            MessagingOptOut.address_hash == PatientRequest.sender_hash,
        )
    )
    .correlate_except(MessagingOptOut)
)


# The keyed-hash columns follow the values they stand for, on every insert and update
# through the ORM (`crypto.stored_lookup_hash`, issue 12).
_LOOKUP_HASHES: dict[type, tuple[tuple[str, str], ...]] = {
    PatientRequest: (("phone", "phone_hash"), ("email", "email_hash"), ("sender", "sender_hash")),
    MessagingContact: (("address", "address_hash"),),
    MessagingOptOut: (("address", "address_hash"),),
}


def _set_lookup_hashes(_mapper: Any, _connection: Any, target: Any) -> None:
    for source, column in _LOOKUP_HASHES[type(target)]:
        setattr(target, column, crypto.stored_lookup_hash(getattr(target, source)))


for _model in _LOOKUP_HASHES:
    event.listen(_model, "before_insert", _set_lookup_hashes)
    event.listen(_model, "before_update", _set_lookup_hashes)
