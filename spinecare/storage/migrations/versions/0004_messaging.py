"""Text messaging channels: contacts, the opt-out registry, taken-in message ids, senders.

Why in the database: every server replica must agree on who opted out (checked
before every text, including ones the consultants' side sends), on which provider
message ids were already processed (Twilio and Meta retry webhooks), and on which
pseudonymous conversation a phone number belongs to. The request gains `sender`,
the phone number or Messenger id the consent came from.

`sender` is a new nullable column, which SQLite adds in place (no table rebuild).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = "channel IN ('sms', 'whatsapp', 'messenger')"


def upgrade() -> None:
    op.add_column("mri_review_request", sa.Column("sender", sa.String(length=64), nullable=True))

    op.create_table(
        "messaging_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column(
            "pending_choices",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(CHANNELS, name=op.f("ck_messaging_contact_channel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_contact")),
        sa.UniqueConstraint(
            "channel", "address", name=op.f("uq_messaging_contact_channel_address")
        ),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_messaging_contact_conversation_id")),
    )

    op.create_table(
        "messaging_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(CHANNELS, name=op.f("ck_messaging_opt_out_channel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_opt_out")),
        sa.UniqueConstraint("address", name=op.f("uq_messaging_opt_out_address")),
    )

    op.create_table(
        "messaging_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_inbound")),
        sa.UniqueConstraint(
            "provider", "message_id", name=op.f("uq_messaging_inbound_provider_message")
        ),
    )
    op.create_index("ix_messaging_inbound_received_at", "messaging_inbound", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_messaging_inbound_received_at", table_name="messaging_inbound")
    op.drop_table("messaging_inbound")
    op.drop_table("messaging_opt_out")
    op.drop_table("messaging_contact")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch rebuild on
    # SQLite would drop the table and cascade-delete its outbox jobs.
    op.execute("ALTER TABLE mri_review_request DROP COLUMN sender")
