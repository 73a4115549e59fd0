"""The request store, against SQLite and a real PostgreSQL, both migrated with `migrate()`.

PostgreSQL is not optional here: idempotency under concurrency and transactional
outbox writes behave differently on each backend, so a missing server is a
failure with instructions, never a skip. Each test session creates its own
database on the server and drops it afterwards.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, func, inspect, select, text

from spinecare import settings
from spinecare.intake.consent import CONSENT_TEXT, CONSENT_VERSION
from spinecare.storage import db, repository
from spinecare.storage.models import AuditEvent, Base, OutboxJob, PatientRequest
from spinecare.storage.schema import alembic_config, current_revision, head_revision, migrate
from tests.support.requests import mri_review_fields

# --- databases ----------------------------------------------------------------------


def fields(**overrides):
    return mri_review_fields(
        **{
            "first_name": "Jon",
            "last_name": "Doe",
            "email": "Jon.Doe@mail.com",
            "symptoms": "Sharp pain down my left leg when I sit.",
            "symptom_entities": ["sciatica", "leg pain"],
            "treatments_tried": ["physical_therapy", "injections"],
            "conversation_id": "conv-123",
            "sender": "+12125550182",
            **overrides,
        }
    )


def count(session, model) -> int:
    session.rollback()
    return session.execute(select(func.count()).select_from(model)).scalar_one()


# --- schema -------------------------------------------------------------------------


def test_migrations_create_exactly_the_models(engine, database_url):
    assert current_revision(database_url) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_twice_is_harmless_and_downgrade_round_trips(database_url):
    assert migrate(database_url, settings.load()) == head_revision()
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    assert current_revision(database_url) is None
    engine = db.make_engine(database_url)
    try:
        assert not set(inspect(engine).get_table_names()) & {"mri_review_request", "outbox_job"}
    finally:
        engine.dispose()
    assert migrate(database_url, settings.load()) == head_revision()


def test_sqlite_gets_its_folder_foreign_keys_and_wal(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'x.db'}"
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert (tmp_path / "new" / "folder").is_dir()
    finally:
        engine.dispose()


# --- submitting ---------------------------------------------------------------------


def test_submit_stores_every_field_with_consent_and_jobs(session):
    reference = repository.submit_request(
        session, fields(), "conv-123:1", outbox_kinds=("email", "webhook")
    )
    assert repository.REFERENCE_PATTERN.match(reference)

    request = repository.get_request(session, reference)
    expected = fields()
    for name in repository.SUBMISSION_FIELDS:
        if name == "consented_at":
            assert abs(request.consented_at - expected["consented_at"]) < timedelta(seconds=1)
        else:
            assert getattr(request, name) == expected[name], name
    assert request.consent is True
    assert request.consent_version == CONSENT_VERSION
    assert request.consent_text == CONSENT_TEXT
    assert request.status == "new"
    assert request.submission_key == "conv-123:1"
    assert request.created_at.tzinfo is not None
    assert request.consented_at.tzinfo is not None

    jobs = repository.outbox_jobs(session, reference)
    assert sorted(job.kind for job in jobs) == ["email", "webhook"]
    for job in jobs:
        assert job.status == "pending"
        assert job.attempts == 0
        assert job.idempotency_key == f"mri-review-request/{reference}/{job.kind}"
        assert job.payload == {"event": "mri_review_request.created", "reference": reference}
        assert job.next_attempt_at.tzinfo is not None
    (created,) = repository.audit_events(session, reference)
    assert (created.actor, created.action) == ("assistant", "create")


def test_outbox_kinds_follow_the_argument(session):
    reference = repository.submit_request(
        session, fields(), "key-webhook", outbox_kinds=("webhook",)
    )
    assert [job.kind for job in repository.outbox_jobs(session, reference)] == ["webhook"]

    reference = repository.submit_request(session, fields(), "key-none", outbox_kinds=())
    assert repository.outbox_jobs(session, reference) == []

    reference = repository.submit_request(
        session, fields(), "key-both", outbox_kinds=repository.OUTBOX_KINDS
    )
    assert {job.kind for job in repository.outbox_jobs(session, reference)} == {
        "email",
        "webhook",
    }


def test_rasa_style_values_are_accepted(session):
    reference = repository.submit_request(
        session,
        fields(
            mri_taken="2023-05",
            mri_older_than_two_years=None,
            consented_at="2026-11-25T10:00:00Z",
            state=None,
            symptom_entities=None,
            treatments_tried=["none"],
        ),
        "rasa-slots",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    request = repository.get_request(session, reference)
    assert request.mri_taken == date(2023, 5, 1)
    assert request.mri_older_than_two_years is True
    assert request.state == "NY"
    assert request.consented_at == datetime(2026, 11, 25, 10, tzinfo=timezone.utc)
    assert request.symptom_entities == []
    assert request.treatments_tried == ["none"]


def test_same_submission_key_twice_gives_one_request(session):
    first = repository.submit_request(
        session, fields(), "same-key", outbox_kinds=repository.OUTBOX_KINDS
    )
    second = repository.submit_request(
        session, fields(first_name="Changed"), "same-key", outbox_kinds=repository.OUTBOX_KINDS
    )
    assert first == second
    assert count(session, PatientRequest) == 1
    assert count(session, OutboxJob) == 2
    assert repository.get_request(session, first).first_name == "Jon"


def test_concurrent_retries_with_one_key_store_one_request(sessions):
    workers = 4
    barrier = threading.Barrier(workers)
    references: list[str] = []
    errors: list[BaseException] = []

    def submit():
        try:
            with sessions() as own_session:
                barrier.wait(timeout=10)
                references.append(
                    repository.submit_request(
                        own_session, fields(), "racing-key", outbox_kinds=repository.OUTBOX_KINDS
                    )
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(references) == workers and len(set(references)) == 1
    with sessions() as check:
        assert count(check, PatientRequest) == 1
        assert count(check, OutboxJob) == 2


def test_a_race_lost_at_insert_returns_the_winners_reference(session, monkeypatch):
    """The unique constraint, not the first lookup, is what keeps a key to one row."""
    winner = repository.submit_request(
        session, fields(), "late-key", outbox_kinds=repository.OUTBOX_KINDS
    )
    real_lookup = repository._find_by_submission_key
    calls = {"n": 0}

    def lookup_that_misses_once(own_session, key):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_lookup(own_session, key)

    monkeypatch.setattr(repository, "_find_by_submission_key", lookup_that_misses_once)
    assert (
        repository.submit_request(
            session, fields(), "late-key", outbox_kinds=repository.OUTBOX_KINDS
        )
        == winner
    )
    assert calls["n"] == 2
    assert count(session, PatientRequest) == 1


def test_a_reference_collision_draws_another(session, monkeypatch):
    taken = repository.submit_request(
        session, fields(), "first", outbox_kinds=repository.OUTBOX_KINDS
    )
    draws = iter([taken, taken, "MRI-ZZZZ-22"])
    monkeypatch.setattr(repository, "new_reference", lambda: next(draws))
    assert (
        repository.submit_request(session, fields(), "second", outbox_kinds=repository.OUTBOX_KINDS)
        == "MRI-ZZZZ-22"
    )
    assert count(session, PatientRequest) == 2


def test_failure_after_the_request_insert_stores_nothing(session, engine):
    statements: list[str] = []

    def fail_on_outbox(_conn, _cursor, statement, *_args):
        statements.append(statement)
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX_JOB"):
            raise RuntimeError("simulated crash while queueing notifications")

    event.listen(engine, "before_cursor_execute", fail_on_outbox)
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            repository.submit_request(session, fields(), "doomed", outbox_kinds=("email",))
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_outbox)
    assert any(s.upper().startswith("INSERT INTO MRI_REVIEW_REQUEST") for s in statements)
    assert count(session, PatientRequest) == 0
    assert count(session, OutboxJob) == 0
    assert count(session, AuditEvent) == 0
    # The same key works afterwards: nothing half-stored blocks it.
    assert repository.submit_request(
        session, fields(), "doomed", outbox_kinds=repository.OUTBOX_KINDS
    )


def test_invalid_submissions_name_fields_never_values(session):
    bad = fields(
        phone="212 555 0182",
        contact_method="pigeon",
        treatments_tried=["none", "surgery"],
        first_name=None,
        favourite_colour="Zebediah-blue",
    )
    with pytest.raises(repository.InvalidSubmission) as caught:
        repository.submit_request(session, bad, "bad", outbox_kinds=repository.OUTBOX_KINDS)
    message = str(caught.value)
    for name in ("phone", "contact_method", "treatments_tried", "first_name", "favourite_colour"):
        assert name in message
    assert "212 555" not in message and "Zebediah" not in message and "pigeon" not in message
    assert count(session, PatientRequest) == 0


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"adult": False}, "adult"),
        ({"consent": False}, "consent"),
        ({"contact_method": "email", "email": None}, "email"),
        ({"state": None, "zip_code": None}, "state"),
        ({"consented_at": datetime(2026, 11, 25, 10)}, "timezone"),
        ({"mri_taken": "last march"}, "mri_taken"),
    ],
)
def test_requests_that_cannot_be_stored(session, overrides, problem):
    with pytest.raises(repository.InvalidSubmission, match=problem):
        repository.submit_request(
            session, fields(**overrides), "refused", outbox_kinds=repository.OUTBOX_KINDS
        )


# --- reading, changing, deleting ----------------------------------------------------


def test_list_is_newest_first_and_filters_by_status(session):
    refs = [
        repository.submit_request(session, fields(), f"k{i}", outbox_kinds=repository.OUTBOX_KINDS)
        for i in range(3)
    ]
    assert [r.reference for r in repository.list_requests(session)] == refs[::-1]
    repository.mark(session, refs[0], "closed", "alice")
    closed = repository.list_requests(session, status="closed", actor="alice")
    assert [r.reference for r in closed] == [refs[0]]
    listing = [e for e in repository.audit_events(session) if e.action == "list"]
    assert listing[-1].actor == "alice"
    assert listing[-1].detail == {"count": 1, "status": "closed"}


def test_get_accepts_a_reference_as_people_type_it(session):
    reference = repository.submit_request(
        session, fields(), "typed", outbox_kinds=repository.OUTBOX_KINDS
    )
    typed = reference.lower().replace("-", " ")
    assert repository.get_request(session, typed, actor="bob").reference == reference
    assert [(e.actor, e.action) for e in repository.audit_events(session, reference)] == [
        ("assistant", "create"),
        ("bob", "view"),
    ]
    with pytest.raises(repository.UnknownReference):
        repository.get_request(session, "MRI-XXXX-99")


def test_mark_records_the_change(session):
    reference = repository.submit_request(
        session, fields(), "to-mark", outbox_kinds=repository.OUTBOX_KINDS
    )
    before = repository.get_request(session, reference).updated_at
    request = repository.mark(session, reference, "contacted", "carol")
    assert request.status == "contacted"
    assert request.updated_at >= before
    event_ = repository.audit_events(session, reference)[-1]
    assert (event_.actor, event_.action) == ("carol", "mark")
    assert event_.detail == {"from": "new", "to": "contacted"}
    with pytest.raises(ValueError):
        repository.mark(session, reference, "lost", "carol")
    with pytest.raises(repository.UnknownReference):
        repository.mark(session, "MRI-XXXX-99", "closed", "carol")


def test_delete_removes_personal_data_and_jobs_but_keeps_the_audit_reference(session):
    keep = repository.submit_request(
        session, fields(first_name="Keep"), "keep", outbox_kinds=repository.OUTBOX_KINDS
    )
    reference = repository.submit_request(
        session,
        fields(first_name="Zebediah", phone="+14155552671"),
        "gone",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    repository.delete(session, reference, "dave")

    with pytest.raises(repository.UnknownReference):
        repository.get_request(session, reference)
    assert repository.outbox_jobs(session, reference) == []
    assert count(session, PatientRequest) == 1
    assert len(repository.outbox_jobs(session, keep)) == 2

    trail = repository.audit_events(session, reference)
    assert [(e.actor, e.action) for e in trail] == [("assistant", "create"), ("dave", "delete")]
    assert trail[-1].detail == {"outbox_jobs": 2}
    dumped = json.dumps(
        [[e.actor, e.action, e.reference, e.detail] for e in repository.audit_events(session)]
    )
    assert "Zebediah" not in dumped and "4155552671" not in dumped
    with pytest.raises(repository.UnknownReference):
        repository.delete(session, reference, "dave")


def test_export_rows_are_json_ready_and_complete(session):
    reference = repository.submit_request(
        session, fields(), "export-me", outbox_kinds=repository.OUTBOX_KINDS
    )
    rows = repository.export_rows(session, actor="erin", detail={"format": "json"})
    (row,) = rows
    json.dumps(rows)
    assert row["reference"] == reference
    assert row["mri_taken"] == "2026-08-01"
    assert row["treatments_tried"] == ["physical_therapy", "injections"]
    for name in [
        "first_name",
        "last_name",
        "phone",
        "email",
        "zip_code",
        "state",
        "adult",
        "has_mri",
        "mri_taken",
        "mri_region",
        "symptoms",
        "symptom_duration",
        "treatments_tried",
        "contact_method",
        "best_time",
        "consent",
        "consent_version",
        "channel",
        "conversation_id",
        "status",
        "created_at",
    ]:
        assert name in row
    exported = repository.audit_events(session)[-1]
    assert (exported.actor, exported.action, exported.reference) == ("erin", "export", None)
    assert exported.detail == {"count": 1, "format": "json"}


def test_references_are_random_unambiguous_and_well_formed():
    references = {repository.new_reference() for _ in range(2000)}
    # 887 million possibilities: two equal ones among 2000 happen about once in 450 runs.
    assert len(references) >= 1998
    for reference in references:
        assert repository.REFERENCE_PATTERN.match(reference)
        assert not set(reference[4:].replace("-", "")) & set("01OIL")
    assert repository.normalise_reference(" mri 7kq2 9x ") == "MRI-7KQ2-9X"
    assert repository.normalise_reference("MRI7KQ29X") == "MRI-7KQ2-9X"
