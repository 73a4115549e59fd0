"""Consultants of the web console, their sessions and their sign-in attempts.

Why in the database and not in memory or files: sessions must end everywhere
when a user signs out or is disabled, and sign-in rate limits must survive a
restart and hold across worker processes, or they are easy to reset.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultant_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant_user")),
        sa.UniqueConstraint("username", name=op.f("uq_consultant_user_username")),
    )

    op.create_table(
        "console_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["consultant_user.id"],
            name=op.f("fk_console_session_user_id_consultant_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_session")),
    )
    op.create_index("ix_console_session_user_id", "console_session", ["user_id"])

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('failed', 'locked', 'ok')", name=op.f("ck_login_attempt_outcome")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_username_at", "login_attempt", ["username", "at"])
    op.create_index("ix_login_attempt_ip_at", "login_attempt", ["ip", "at"])
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempt_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_ip_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_username_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index("ix_console_session_user_id", table_name="console_session")
    op.drop_table("console_session")
    op.drop_table("consultant_user")
