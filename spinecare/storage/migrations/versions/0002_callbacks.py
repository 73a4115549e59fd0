"""Callback requests share the request table, marked by `request_type`.

Why one table and not a second one: a callback is a request the practice's staff
follow up exactly like an MRI review (same status, outbox, audit, export and
deletion paths), it only collects less. So the columns a callback does not ask
for (state, adult, has_mri) become nullable; the repository still requires them
for MRI reviews. A callback may carry a short note in the person's own words
(`patient_notes`; named so it is never mistaken for staff notes).

SQLite cannot drop NOT NULL in place, so batch mode rebuilds the table there.
Rebuilding drops the old table, and with foreign keys on (which the engine always
turns on, and which cannot be switched off inside the migration's transaction)
that drop would cascade-delete every outbox job. The jobs are therefore kept
aside in a temporary table and put back after the rebuild.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELAXED = (
    ("state", sa.String(length=2)),
    ("adult", sa.Boolean()),
    ("has_mri", sa.Boolean()),
)


def _keep_outbox_jobs() -> bool:
    if op.get_bind().dialect.name != "sqlite":
        return False
    op.execute("DROP TABLE IF EXISTS temp.kept_outbox_job")
    op.execute("CREATE TEMP TABLE kept_outbox_job AS SELECT * FROM outbox_job")
    return True


def _restore_outbox_jobs() -> None:
    op.execute(
        "INSERT INTO outbox_job SELECT * FROM temp.kept_outbox_job "
        "WHERE id NOT IN (SELECT id FROM outbox_job)"
    )
    op.execute("DROP TABLE temp.kept_outbox_job")


def upgrade() -> None:
    kept = _keep_outbox_jobs()
    with op.batch_alter_table("mri_review_request") as batch:
        batch.add_column(
            sa.Column(
                "request_type",
                sa.String(length=16),
                server_default=sa.text("'mri_review'"),
                nullable=False,
            )
        )
        batch.add_column(sa.Column("patient_notes", sa.Text(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_mri_review_request_request_type"),
            "request_type IN ('mri_review', 'callback')",
        )
        for name, type_ in RELAXED:
            batch.alter_column(name, existing_type=type_, nullable=True)
        batch.create_index("ix_mri_review_request_request_type", ["request_type"])
    if kept:
        _restore_outbox_jobs()


def downgrade() -> None:
    callbacks = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM mri_review_request WHERE request_type = 'callback'"))
        .scalar()
    )
    if callbacks:
        raise RuntimeError(
            f"{callbacks} callback request(s) are stored; export and delete them "
            "before downgrading below revision 0002"
        )
    kept = _keep_outbox_jobs()
    with op.batch_alter_table("mri_review_request") as batch:
        batch.drop_index("ix_mri_review_request_request_type")
        batch.drop_constraint(op.f("ck_mri_review_request_request_type"), type_="check")
        batch.drop_column("request_type")
        batch.drop_column("patient_notes")
        for name, type_ in RELAXED:
            batch.alter_column(name, existing_type=type_, nullable=False)
    if kept:
        _restore_outbox_jobs()
