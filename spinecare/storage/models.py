"""Tables for MRI review requests, their outgoing notifications and the audit trail.

Why these three: a request holds the patient's personal and health data; an
outbox job records that a notification about it still has to go out, written in
the same transaction so a request is never stored without its notifications (or
the reverse); an audit event records who viewed, exported, changed or deleted a
request, and survives the request's deletion holding only its reference.

The schema itself is created by the Alembic migrations in `migrations/`; a test
checks that these models and the migrations agree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

STATUSES = ("new", "contacted", "closed")
REQUEST_TYPES = ("mri_review", "callback")
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


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class MriReviewRequest(Base):
    __tablename__ = "mri_review_request"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    first_name = Column(String(50), nullable=False)
    last_name = Column(String(50), nullable=False)
    phone = Column(String(16), nullable=False)
    email = Column(String(254))
    zip_code = Column(String(5))
    request_type = Column(
        String(16), nullable=False, default="mri_review", server_default=text("'mri_review'")
    )
    # Nullable since revision 0002 because a callback does not ask for them; the
    # repository still requires them for an MRI review.
    state = Column(String(2))
    adult = Column(Boolean)
    has_mri = Column(Boolean)
    mri_taken = Column(Date)
    mri_older_than_two_years = Column(Boolean)
    mri_region = Column(String(16))
    symptoms = Column(Text)
    # A callback's optional note in the person's own words (may mention health).
    patient_notes = Column(Text)
    symptom_entities = Column(JSONType, nullable=False, default=list)
    symptom_duration = Column(String(200))
    treatments_tried = Column(JSONType, nullable=False, default=list)
    contact_method = Column(String(8), nullable=False)
    best_time = Column(String(16), nullable=False)
    consent = Column(Boolean, nullable=False)
    consent_version = Column(String(32), nullable=False)
    consent_text = Column(Text, nullable=False)
    consented_at = Column(UTCDateTime, nullable=False)
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(128))
    submission_key = Column(String(128), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default="new", server_default=text("'new'"))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    outbox_jobs = relationship(
        "OutboxJob", back_populates="request", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("request_type", REQUEST_TYPES), name="request_type"),
        CheckConstraint(
            _one_of("mri_region", ("lumbar", "thoracic", "cervical", "other")), name="mri_region"
        ),
        CheckConstraint(_one_of("contact_method", ("call", "text", "email")), name="contact"),
        CheckConstraint(
            _one_of("best_time", ("asap", "morning", "afternoon", "evening")), name="best_time"
        ),
        Index("ix_mri_review_request_created_at", "created_at"),
        Index("ix_mri_review_request_status", "status"),
        Index("ix_mri_review_request_request_type", "request_type"),
    )

    def __repr__(self) -> str:
        return f"<MriReviewRequest {self.reference} {self.status}>"


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

    request = relationship("MriReviewRequest", back_populates="outbox_jobs")

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


class ConsoleSession(Base):
    """A signed-in browser; the cookie holds a token whose SHA-256 is the id here.

    Kept server-side so that signing out, disabling a user or an idle timeout ends
    the session at once, whatever copies of the cookie exist.
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
