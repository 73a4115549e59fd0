"""Patient fields encrypted at rest, found through keyed hashes (issue 12).

Why: a copy of the database (a backup, a stolen disk, a read-only SQL account) must
not show who asked for a review and why. The request's names, phone, email, ZIP,
symptoms, duration, treatments, notes, MRI month and region and text-channel
sender, and the text channels' addresses and last choices shown, become Fernet tokens
(`spinecare.crypto`, keys from SPINECARE_DATA_KEYS); the columns become TEXT,
since a token is longer than the value. Exact lookups by phone, email and sender
use new HMAC columns (`phone_hash`, `email_hash`, `sender_hash`, `address_hash`,
key SPINECARE_LOOKUP_KEY). The MRI region's CHECK constraint goes: an encrypted
value cannot be checked by the database; the repository still validates it.

Existing rows are encrypted here, with the keys configured for the process that
runs the migration (the action server at start, or `spinecare db upgrade`).

SQLite rebuilds the tables (batch mode). As in revision 0002, the foreign keys are
on and cannot be switched off inside the migration's transaction, so dropping the
old request table would cascade-delete every outbox job: the jobs are kept aside
in a temporary table and put back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from spinecare import crypto

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Each encrypted request column, its type before this revision and its PostgreSQL cast back.
REQUEST_COLUMNS = (
    ("first_name", sa.String(length=50), False, "varchar(50)"),
    ("last_name", sa.String(length=50), False, "varchar(50)"),
    ("phone", sa.String(length=16), False, "varchar(16)"),
    ("email", sa.String(length=254), True, "varchar(254)"),
    ("zip_code", sa.String(length=5), True, "varchar(5)"),
    ("mri_taken", sa.Date(), True, "date"),
    ("mri_region", sa.String(length=16), True, "varchar(16)"),
    ("symptoms", sa.Text(), True, "text"),
    ("patient_notes", sa.Text(), True, "text"),
    ("symptom_entities", JSON, False, "jsonb"),
    ("symptom_duration", sa.String(length=200), True, "varchar(200)"),
    ("treatments_tried", JSON, False, "jsonb"),
    ("sender", sa.String(length=64), True, "varchar(64)"),
)
REQUEST_HASHES = (("phone", "phone_hash"), ("email", "email_hash"), ("sender", "sender_hash"))
MRI_REGION_CHECK = "mri_region IN ('lumbar', 'thoracic', 'cervical', 'other')"
MESSAGING_TABLES = ("messaging_contact", "messaging_opt_out")


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


def _rewrite(
    table: str, columns: Sequence[str], change, hashes: Sequence[tuple[str, str]] = ()
) -> None:
    """Apply `change` to every non-null value of `columns`; set hash columns from the plain text."""
    bind = op.get_bind()
    names = ", ".join(columns)
    rows = bind.execute(sa.text(f"SELECT id, {names} FROM {table}")).mappings().all()  # noqa: S608
    for row in rows:
        values = {name: change(row[name]) for name in columns if row[name] is not None}
        for source, column in hashes:
            plain = row[source]
            if plain is not None and crypto.is_token(str(plain)):
                plain = crypto.current_cipher().decrypt(str(plain))
            values[column] = crypto.stored_lookup_hash(None if plain is None else str(plain))
        if not values:
            continue
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        bind.execute(
            sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"),  # noqa: S608
            {**values, "row_id": row["id"]},
        )


def _encrypt(value: object) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if crypto.is_token(text) else crypto.current_cipher().encrypt(text)


def _decrypt(value: object) -> str:
    text = str(value)
    return crypto.current_cipher().decrypt(text) if crypto.is_token(text) else text


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    kept = _keep_outbox_jobs()
    with op.batch_alter_table("mri_review_request") as batch:
        batch.drop_constraint(op.f("ck_mri_review_request_mri_region"), type_="check")
        for name, old_type, nullable, _cast in REQUEST_COLUMNS:
            batch.alter_column(
                name,
                type_=sa.Text(),
                existing_type=old_type,
                existing_nullable=nullable,
                postgresql_using=f"{name}::text" if postgres else None,
            )
        for _source, column in REQUEST_HASHES:
            batch.add_column(sa.Column(column, sa.String(length=64), nullable=True))
            batch.create_index(f"ix_mri_review_request_{column}", [column])
    if kept:
        _restore_outbox_jobs()
    _rewrite(
        "mri_review_request",
        [name for name, *_ in REQUEST_COLUMNS],
        _encrypt,
        REQUEST_HASHES,
    )

    for table in MESSAGING_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "address", type_=sa.Text(), existing_type=sa.String(length=64), nullable=False
            )
            batch.add_column(sa.Column("address_hash", sa.String(length=64), nullable=True))
        _rewrite(table, ["address"], _encrypt, [("address", "address_hash")])
    with op.batch_alter_table("messaging_contact") as batch:
        batch.alter_column(
            "pending_choices",
            type_=sa.Text(),
            existing_type=JSON,
            existing_nullable=True,
            postgresql_using="pending_choices::text" if postgres else None,
        )
    _rewrite("messaging_contact", ["pending_choices"], _encrypt)
    with op.batch_alter_table("messaging_contact") as batch:
        batch.alter_column("address_hash", existing_type=sa.String(length=64), nullable=False)
        batch.drop_constraint(op.f("uq_messaging_contact_channel_address"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_messaging_contact_channel_address_hash"), ["channel", "address_hash"]
        )
    with op.batch_alter_table("messaging_opt_out") as batch:
        batch.alter_column("address_hash", existing_type=sa.String(length=64), nullable=False)
        batch.drop_constraint(op.f("uq_messaging_opt_out_address"), type_="unique")
        batch.create_unique_constraint(op.f("uq_messaging_opt_out_address_hash"), ["address_hash"])


def downgrade() -> None:
    """Decrypt every value (with the configured keys) and restore the plain columns."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in MESSAGING_TABLES:
        _rewrite(table, ["address"], _decrypt)
    _rewrite("messaging_contact", ["pending_choices"], _decrypt)
    with op.batch_alter_table("messaging_opt_out") as batch:
        batch.drop_constraint(op.f("uq_messaging_opt_out_address_hash"), type_="unique")
        batch.drop_column("address_hash")
        batch.alter_column(
            "address", type_=sa.String(length=64), existing_type=sa.Text(), nullable=False
        )
        batch.create_unique_constraint(op.f("uq_messaging_opt_out_address"), ["address"])
    with op.batch_alter_table("messaging_contact") as batch:
        batch.drop_constraint(op.f("uq_messaging_contact_channel_address_hash"), type_="unique")
        batch.drop_column("address_hash")
        batch.alter_column(
            "address", type_=sa.String(length=64), existing_type=sa.Text(), nullable=False
        )
        batch.create_unique_constraint(
            op.f("uq_messaging_contact_channel_address"), ["channel", "address"]
        )
        batch.alter_column(
            "pending_choices",
            type_=JSON,
            existing_type=sa.Text(),
            existing_nullable=True,
            postgresql_using="pending_choices::jsonb" if postgres else None,
        )

    _rewrite("mri_review_request", [name for name, *_ in REQUEST_COLUMNS], _decrypt)
    kept = _keep_outbox_jobs()
    with op.batch_alter_table("mri_review_request") as batch:
        for _source, column in REQUEST_HASHES:
            batch.drop_index(f"ix_mri_review_request_{column}")
            batch.drop_column(column)
        for name, old_type, nullable, cast in REQUEST_COLUMNS:
            batch.alter_column(
                name,
                type_=old_type,
                existing_type=sa.Text(),
                existing_nullable=nullable,
                postgresql_using=f"{name}::{cast}" if postgres else None,
            )
        batch.create_check_constraint(op.f("ck_mri_review_request_mri_region"), MRI_REGION_CHECK)
    if kept:
        _restore_outbox_jobs()
