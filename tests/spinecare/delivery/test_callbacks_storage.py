"""Callback requests in the request store (revision 0002), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from alembic import command
from delivery_support import PERSONAL_VALUES
from sqlalchemy import func, select, text

from spinecare import settings
from spinecare.intake.consent import CONSENT_VERSION
from spinecare.storage import db, repository
from spinecare.storage.models import OutboxJob, PatientRequest
from spinecare.storage.schema import alembic_config, current_revision, head_revision, migrate
from tests.support.requests import callback_fields
from tests.support.requests import mri_review_fields as mri_fields


def count(session, model) -> int:
    session.rollback()
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_callback_is_stored_with_its_type_jobs_and_audit(session):
    reference = repository.submit_callback(
        session,
        callback_fields(email="pm@mail.example"),
        "conv-cb:callback:1",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    assert repository.REFERENCE_PATTERN.match(reference)

    request = repository.get_request(session, reference)
    assert request.request_type == "callback"
    assert (request.first_name, request.last_name) == ("Philippa", "Marchbanks")
    assert request.phone == "+14155552671"
    assert request.email == "pm@mail.example"
    assert request.best_time == "afternoon"
    assert request.contact_method == "call"
    assert request.patient_notes == "Numb toes since the weekend."
    assert request.consent is True and request.consent_version == CONSENT_VERSION
    assert request.channel == "socketio" and request.conversation_id == "conv-cb"
    assert (request.state, request.adult, request.has_mri, request.symptoms) == (
        None,
        None,
        None,
        None,
    )
    assert request.status == "new"

    jobs = repository.outbox_jobs(session, reference)
    assert sorted(job.kind for job in jobs) == ["email", "webhook"]
    for job in jobs:
        assert job.status == "pending" and job.attempts == 0
        assert job.idempotency_key == f"callback-request/{reference}/{job.kind}"
        assert job.payload == {"event": "callback_request.created", "reference": reference}
    (created,) = repository.audit_events(session, reference)
    assert (created.actor, created.action) == ("assistant", "create")
    assert created.detail["request_type"] == "callback"
    assert not any(value in json.dumps(created.detail) for value in PERSONAL_VALUES)


def test_an_mri_review_is_still_an_mri_review(session):
    reference = repository.submit_request(
        session, mri_fields(), "conv-mri:1", outbox_kinds=repository.OUTBOX_KINDS
    )
    request = repository.get_request(session, reference)
    assert request.request_type == "mri_review"
    assert request.patient_notes is None
    assert {job.idempotency_key for job in repository.outbox_jobs(session, reference)} == {
        f"mri-review-request/{reference}/email",
        f"mri-review-request/{reference}/webhook",
    }


def test_the_same_callback_key_twice_stores_one_request(session):
    first = repository.submit_callback(
        session, callback_fields(), "cb-key", outbox_kinds=repository.OUTBOX_KINDS
    )
    second = repository.submit_callback(
        session, callback_fields(first_name="Other"), "cb-key", outbox_kinds=repository.OUTBOX_KINDS
    )
    assert first == second
    assert count(session, PatientRequest) == 1
    assert count(session, OutboxJob) == 2


def test_callback_outbox_kinds_follow_the_argument(session):
    only_email = repository.submit_callback(
        session, callback_fields(), "cb-email", outbox_kinds=("email",)
    )
    assert [job.kind for job in repository.outbox_jobs(session, only_email)] == ["email"]
    silent = repository.submit_callback(session, callback_fields(), "cb-none", outbox_kinds=())
    assert repository.outbox_jobs(session, silent) == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"phone": "415 555 2671"}, "phone"),
        ({"contact_method": "text"}, "contact_method"),
        ({"consent": False}, "consent"),
        ({"best_time": None}, "best_time"),
        ({"first_name": None}, "first_name"),
        ({"symptoms": "Numb toes"}, "unknown field"),
        ({"notes": "x" * 1001}, "notes"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_callbacks_that_cannot_be_stored_name_fields_not_values(session, overrides, problem):
    with pytest.raises(repository.InvalidSubmission, match=problem) as caught:
        repository.submit_callback(
            session, callback_fields(**overrides), "refused", outbox_kinds=repository.OUTBOX_KINDS
        )
    message = str(caught.value)
    assert "415 555" not in message and "Numb toes" not in message
    assert count(session, PatientRequest) == 0


def test_an_mri_review_still_needs_what_the_columns_no_longer_enforce(session):
    for missing in ("adult", "has_mri"):
        with pytest.raises(repository.InvalidSubmission, match=missing):
            repository.submit_request(
                session,
                mri_fields(**{missing: None}),
                "refused",
                outbox_kinds=repository.OUTBOX_KINDS,
            )
    with pytest.raises(repository.InvalidSubmission, match="state"):
        repository.submit_request(
            session,
            mri_fields(state=None, zip_code=None),
            "refused",
            outbox_kinds=repository.OUTBOX_KINDS,
        )
    assert count(session, PatientRequest) == 0


def test_listing_and_export_carry_the_request_type(session):
    mri = repository.submit_request(
        session, mri_fields(), "mri", outbox_kinds=repository.OUTBOX_KINDS
    )
    callback = repository.submit_callback(
        session, callback_fields(), "cb", outbox_kinds=repository.OUTBOX_KINDS
    )
    listed = {r.reference: r.request_type for r in repository.list_requests(session)}
    assert listed == {mri: "mri_review", callback: "callback"}
    only = repository.list_requests(session, request_type="callback", actor="alice")
    assert [r.reference for r in only] == [callback]
    assert repository.audit_events(session)[-1].detail == {
        "count": 1,
        "status": None,
        "request_type": "callback",
    }
    with pytest.raises(ValueError):
        repository.list_requests(session, request_type="pizza")

    rows = {row["reference"]: row for row in repository.export_rows(session)}
    json.dumps(list(rows.values()))
    assert rows[mri]["request_type"] == "mri_review"
    assert rows[callback]["request_type"] == "callback"
    assert rows[callback]["patient_notes"] == "Numb toes since the weekend."
    assert rows[callback]["state"] is None


def test_deleting_a_callback_removes_it_and_its_jobs(session):
    reference = repository.submit_callback(
        session, callback_fields(), "gone", outbox_kinds=repository.OUTBOX_KINDS
    )
    repository.delete(session, reference, "dave")
    assert count(session, PatientRequest) == 0
    assert count(session, OutboxJob) == 0


# --- the migration ------------------------------------------------------------------


def _insert_at_0001(url: str) -> None:
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO mri_review_request (reference, first_name, last_name, phone, "
                    "state, adult, has_mri, symptom_entities, treatments_tried, contact_method, "
                    "best_time, consent, consent_version, consent_text, consented_at, channel, "
                    "submission_key, status, created_at, updated_at) VALUES ('MRI-AAAA-22', "
                    "'A', 'B', '+12125550182', 'NY', true, true, '[]', '[]', 'call', 'asap', "
                    "true, 'v1', 'text', '2026-11-01 10:00:00', 'rest', 'old-key', 'new', "
                    "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO outbox_job (request_reference, kind, idempotency_key, payload, "
                    "status, attempts, next_attempt_at, created_at) VALUES ('MRI-AAAA-22', "
                    "'email', 'mri-review-request/MRI-AAAA-22/email', '{}', 'pending', 0, "
                    "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
                )
            )
    finally:
        engine.dispose()


def test_upgrading_from_0001_keeps_requests_and_their_outbox_jobs(database_url, sessions):
    """On SQLite, 0002 rebuilds the table; with foreign keys on, that must not cascade."""
    command.downgrade(alembic_config(database_url), "0001")
    assert current_revision(database_url) == "0001"
    _insert_at_0001(database_url)

    assert migrate(database_url, settings.load()) == head_revision()
    with sessions() as session:
        request = repository.get_request(session, "MRI-AAAA-22")
        assert request.request_type == "mri_review"
        assert [job.idempotency_key for job in repository.outbox_jobs(session)] == [
            "mri-review-request/MRI-AAAA-22/email"
        ]
        assert repository.submit_callback(
            session, callback_fields(), "after-upgrade", outbox_kinds=repository.OUTBOX_KINDS
        )


def test_downgrading_below_0002_refuses_while_callbacks_exist(database_url, sessions):
    with sessions() as session:
        reference = repository.submit_callback(
            session, callback_fields(), "keep-me", outbox_kinds=repository.OUTBOX_KINDS
        )
    config = alembic_config(database_url)
    command.downgrade(config, "0002")
    with pytest.raises(RuntimeError, match="callback request"):
        command.downgrade(config, "0001")
    assert current_revision(database_url) == "0002"
    migrate(database_url, settings.load())
    with sessions() as session:
        assert repository.get_request(session, reference).request_type == "callback"
        repository.delete(session, reference, "dave")
    command.downgrade(config, "0001")
    assert current_revision(database_url) == "0001"
    migrate(database_url, settings.load())
