"""MRI review requests, outbox jobs and audit events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "mri_review_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("first_name", sa.String(length=50), nullable=False),
        sa.Column("last_name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("zip_code", sa.String(length=5), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("adult", sa.Boolean(), nullable=False),
        sa.Column("has_mri", sa.Boolean(), nullable=False),
        sa.Column("mri_taken", sa.Date(), nullable=True),
        sa.Column("mri_older_than_two_years", sa.Boolean(), nullable=True),
        sa.Column("mri_region", sa.String(length=16), nullable=True),
        sa.Column("symptoms", sa.Text(), nullable=True),
        sa.Column("symptom_entities", JSON, nullable=False),
        sa.Column("symptom_duration", sa.String(length=200), nullable=True),
        sa.Column("treatments_tried", JSON, nullable=False),
        sa.Column("contact_method", sa.String(length=8), nullable=False),
        sa.Column("best_time", sa.String(length=16), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_version", sa.String(length=32), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=True),
        sa.Column("submission_key", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'new'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('new', 'contacted', 'closed')", name=op.f("ck_mri_review_request_status")
        ),
        sa.CheckConstraint(
            "mri_region IN ('lumbar', 'thoracic', 'cervical', 'other')",
            name=op.f("ck_mri_review_request_mri_region"),
        ),
        sa.CheckConstraint(
            "contact_method IN ('call', 'text', 'email')",
            name=op.f("ck_mri_review_request_contact"),
        ),
        sa.CheckConstraint(
            "best_time IN ('asap', 'morning', 'afternoon', 'evening')",
            name=op.f("ck_mri_review_request_best_time"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mri_review_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_mri_review_request_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_mri_review_request_submission_key")),
    )
    op.create_index("ix_mri_review_request_created_at", "mri_review_request", ["created_at"])
    op.create_index("ix_mri_review_request_status", "mri_review_request", ["status"])

    op.create_table(
        "outbox_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_reference", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column(
            "status", sa.String(length=16), server_default=sa.text("'pending'"), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('email', 'webhook')", name=op.f("ck_outbox_job_kind")),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'dead')", name=op.f("ck_outbox_job_status")
        ),
        sa.ForeignKeyConstraint(
            ["request_reference"],
            ["mri_review_request.reference"],
            name=op.f("fk_outbox_job_request_reference_mri_review_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_job")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_job_idempotency_key")),
    )
    op.create_index("ix_outbox_job_due", "outbox_job", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_job_request_reference", "outbox_job", ["request_reference"])

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.Column("detail", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_reference", "audit_event", ["reference"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_index("ix_audit_event_reference", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index("ix_outbox_job_request_reference", table_name="outbox_job")
    op.drop_index("ix_outbox_job_due", table_name="outbox_job")
    op.drop_table("outbox_job")
    op.drop_index("ix_mri_review_request_status", table_name="mri_review_request")
    op.drop_index("ix_mri_review_request_created_at", table_name="mri_review_request")
    op.drop_table("mri_review_request")
