"""Retention, erasure and access (issue 12), on SQLite and a real PostgreSQL.

The conversation store is the `events` table of Rasa's SQL tracker store: a SQLite
file of its own, or a table in the PostgreSQL test database. "No trace" is checked
by reading every table's raw rows with the database's own driver, not through the
models.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import stat
import time
from datetime import timedelta

import psycopg2
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

from spinecare import privacy, settings
from spinecare.delivery.dispatcher import Dispatcher
from spinecare.intake.consent import consent_record
from spinecare.storage import db, repository
from spinecare.storage.models import (
    AuditEvent,
    LoginAttempt,
    MessagingContact,
    MessagingOptOut,
    OutboxJob,
    PatientRequest,
    utcnow,
)
from spinecare.storage.schema import migrate
from tests.support.requests import callback_fields as factory_callback_fields
from tests.support.requests import mri_review_fields

JANE = {
    "first_name": "Jane",
    "last_name": "Quimby",
    "phone": "+13125550147",
    "email": "Jane.Quimby@mail.example",
    "zip_code": "60601",
    "symptoms": "Burning pain in my right calf since the fall.",
    "symptom_duration": "six weeks",
}
JON = {
    "first_name": "Jon",
    "last_name": "Doe",
    "phone": "+12125550182",
    "email": "jon.doe@mail.example",
    "zip_code": "10001",
    "symptoms": "Sharp pain down my left leg when I sit.",
    "symptom_duration": "about three months",
}


def mri_fields(person, **overrides):
    """`person`'s MRI review request, from the one test-data factory (no conversation)."""
    return mri_review_fields(**{"conversation_id": None, **person, **overrides})


def callback_fields(person, **overrides):
    """`person`'s call-back request by text, from the one test-data factory."""
    return factory_callback_fields(
        **{
            "first_name": person["first_name"],
            "last_name": person["last_name"],
            "phone": person["phone"],
            "email": person["email"],
            "notes": f"Please call about my {person['symptom_duration']} of pain.",
            "best_time": "evening",
            "conversation_id": None,
            **consent_record("sms"),
            **overrides,
        }
    )


def store_conversation(url, sender_id, texts, *, at=None):
    at = time.time() if at is None else at
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for offset, words in enumerate(texts):
            data = {"event": "user", "timestamp": at + offset, "text": words}
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:sender, 'user', :at, :data)"
                ),
                {"sender": sender_id, "at": at + offset, "data": json.dumps(data)},
            )
    engine.dispose()


def conversation_senders(url):
    engine = db.make_engine(url)
    with engine.connect() as connection:
        found = {row[0] for row in connection.execute(text("SELECT sender_id FROM events"))}
    engine.dispose()
    return found


def raw_dump(*urls) -> str:
    """Every row of every table, as the database driver returns it, in one text."""
    chunks = []
    for url in dict.fromkeys(urls):
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            connection = sqlite3.connect(parsed.database)
            names = [
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
        else:
            connection = psycopg2.connect(
                host=parsed.host,
                port=parsed.port or 5432,
                user=parsed.username,
                password=parsed.password,
                dbname=parsed.database,
            )
            cursor = connection.cursor()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            names = [row[0] for row in cursor.fetchall()]
        try:
            for name in names:
                cursor = connection.cursor()
                cursor.execute(f'SELECT * FROM "{name}"')  # noqa: S608 (catalogue names)
                chunks.extend(repr(row) for row in cursor.fetchall())
        finally:
            connection.close()
    return "\n".join(chunks)


# A value counts as found only where it stands whole: not inside a longer run of the
# letters, digits and "-_=" that Fernet ciphertext (URL-safe base64) and timestamps are
# made of, where four letters such as "jane" turn up by chance now and then.
_TOKEN_CHARS = "A-Za-z0-9_=-"


def traces(dump: str, person) -> list[str]:
    return [
        value
        for value in person.values()
        if re.search(
            rf"(?<![{_TOKEN_CHARS}]){re.escape(value)}(?![{_TOKEN_CHARS}])", dump, re.IGNORECASE
        )
    ]


def test_traces_finds_whole_values_and_not_chance_letters_inside_ciphertext():
    person = {"first_name": "Jane", "zip_code": "60601"}
    assert traces("(1, 'Jane', '{\"text\": \"60601\"}')", person) == ["Jane", "60601"]
    assert traces("(2, 'gAAAAABpJaNe_x-JANE=', 1764860601.5)", person) == []


def submit_jane_and_jon(session):
    jane_mri = repository.submit_request(
        session,
        mri_fields(JANE, conversation_id="conv-jane-1"),
        "k-jane-1",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    jane_callback = repository.submit_callback(
        session,
        callback_fields(JANE, conversation_id="conv-jane-2", sender=JANE["phone"]),
        "k-jane-2",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    jon = repository.submit_request(
        session,
        mri_fields(JON, conversation_id="conv-jon"),
        "k-jon",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    return jane_mri, jane_callback, jon


# --- forget -------------------------------------------------------------------------


def test_a_forgotten_person_leaves_no_trace_in_any_table_nor_the_conversation_store(
    session, conf, database_url, conversations_url
):
    jane_mri, jane_callback, jon = submit_jane_and_jon(session)
    session.add(
        MessagingContact(
            conversation_id="conv-jane-2", channel="sms", address=JANE["phone"], created_at=utcnow()
        )
    )
    session.commit()
    store_conversation(conversations_url, "conv-jane-1", [JANE["symptoms"], JANE["first_name"]])
    store_conversation(conversations_url, "conv-jane-2", [JANE["phone"]])
    store_conversation(conversations_url, "conv-jon", [JON["symptoms"]])
    assert traces(raw_dump(database_url, conversations_url), JANE)  # the check can see them

    result = privacy.forget(
        session, privacy.Person(email="JANE.quimby@mail.example "), "olga", conf=conf
    )

    assert result.as_dict() == {
        "requests": 2,
        "outbox_jobs": 4,
        "conversations": 2,
        "messaging_contacts": 1,
        "opt_outs_kept": 0,
    }
    assert traces(raw_dump(database_url, conversations_url), JANE) == []
    assert conversation_senders(conversations_url) == {"conv-jon"}
    # Jon is untouched.
    assert repository.get_request(session, jon).email == JON["email"]
    assert {job.request_reference for job in repository.outbox_jobs(session)} == {jon}
    # One audit line: who, what kind of identifier, how many; no value of Jane's.
    (event,) = [e for e in repository.audit_events(session) if e.action == "privacy_forget"]
    assert event.actor == "olga"
    assert event.reference is None
    assert event.detail == {"by": "email", **result.as_dict()}
    assert jane_mri and jane_callback


def test_forget_by_phone_matches_how_an_operator_types_it_and_keeps_the_opt_out(
    session, conf, database_url, conversations_url
):
    submit_jane_and_jon(session)
    session.add(
        MessagingOptOut(address=JANE["phone"], opted_out=True, channel="sms", opted_out_at=utcnow())
    )
    session.commit()

    result = privacy.forget(session, privacy.Person(phone="(312) 555-0147"), "olga", conf=conf)

    assert (result.requests, result.opt_outs_kept) == (2, 1)
    dump = raw_dump(database_url, conversations_url)
    # Only the opt-out registry still names the number: a STOP must keep being honoured.
    assert traces(dump, {k: v for k, v in JANE.items() if k != "phone"}) == []
    session.rollback()
    assert session.execute(select(MessagingOptOut.address)).scalars().all() == [JANE["phone"]]


def test_forget_by_reference_erases_only_that_request(session, conf, conversations_url):
    jane_mri, jane_callback, _jon = submit_jane_and_jon(session)
    store_conversation(conversations_url, "conv-jane-1", ["hello"])
    store_conversation(conversations_url, "conv-jane-2", ["hello"])

    result = privacy.forget(session, privacy.Person(reference=jane_mri.lower()), "olga", conf=conf)

    assert (result.requests, result.outbox_jobs, result.conversations) == (1, 2, 1)
    with pytest.raises(repository.UnknownReference):
        repository.get_request(session, jane_mri)
    assert repository.get_request(session, jane_callback).phone == JANE["phone"]
    assert conversation_senders(conversations_url) == {"conv-jane-2"}


def test_the_forget_preview_counts_what_forget_erases_and_changes_nothing(
    session, conf, database_url, conversations_url
):
    submit_jane_and_jon(session)
    session.add(
        MessagingContact(
            conversation_id="conv-jane-2", channel="sms", address=JANE["phone"], created_at=utcnow()
        )
    )
    session.commit()
    store_conversation(conversations_url, "conv-jane-1", ["hello"])
    store_conversation(conversations_url, "conv-jane-2", ["hello"])
    before = raw_dump(database_url, conversations_url)

    preview = privacy.forget_preview(session, privacy.Person(email=JANE["email"]), conf=conf)

    assert raw_dump(database_url, conversations_url) == before
    assert not [e for e in repository.audit_events(session) if e.action.startswith("privacy_")]
    result = privacy.forget(session, privacy.Person(email=JANE["email"]), "olga", conf=conf)
    assert preview.as_dict() == result.as_dict()
    with pytest.raises(privacy.NoSuchPerson):
        privacy.forget_preview(session, privacy.Person(email=JANE["email"]), conf=conf)


def test_forgetting_someone_unknown_is_an_error_and_audits_nothing(session, conf):
    submit_jane_and_jon(session)
    with pytest.raises(privacy.NoSuchPerson):
        privacy.forget(session, privacy.Person(email="nobody@mail.example"), "olga", conf=conf)
    assert [e for e in repository.audit_events(session) if e.action == "privacy_forget"] == []
    assert len(repository.list_requests(session)) == 3


# --- export -------------------------------------------------------------------------


def test_export_returns_what_was_submitted_and_the_stored_conversations(
    session, conf, conversations_url
):
    jane_mri, jane_callback, _jon = submit_jane_and_jon(session)
    store_conversation(conversations_url, "conv-jane-1", ["my calf hurts"])

    exported = privacy.export_person(
        session, privacy.Person(phone=JANE["phone"]), "olga", conf=conf
    ).as_dict()

    assert [row["reference"] for row in exported["requests"]] == [jane_mri, jane_callback]
    mri, callback = exported["requests"]
    for name in ("first_name", "last_name", "phone", "email", "zip_code", "symptoms"):
        assert mri[name] == JANE[name], name
    assert mri["mri_taken"] == "2026-08-01"
    assert mri["treatments_tried"] == ["physical_therapy"]
    assert callback["patient_notes"] == "Please call about my six weeks of pain."
    assert callback["sender"] == JANE["phone"]
    assert {job["reference"] for job in exported["outbox_jobs"]} == {jane_mri, jane_callback}
    assert [e["text"] for e in exported["conversations"]["conv-jane-1"]] == ["my calf hurts"]
    json.dumps(exported)  # JSON-ready as it is
    (event,) = [e for e in repository.audit_events(session) if e.action == "privacy_export"]
    assert event.detail["by"] == "phone"
    assert event.detail["requests"] == 2
    assert JANE["phone"] not in json.dumps(event.detail)


# --- retention ----------------------------------------------------------------------


def test_purge_removes_exactly_what_is_due(session, conf, conversations_url):
    conf = dataclasses.replace(
        conf,
        closed_request_retention_days=90,
        outbox_retention_days=30,
        login_attempt_retention_days=30,
        conversation_retention_hours=24,
    )
    now = utcnow()
    old_closed = repository.submit_request(
        session, mri_fields(JANE), "k-1", outbox_kinds=repository.OUTBOX_KINDS
    )
    new_closed = repository.submit_request(
        session, mri_fields(JON), "k-2", outbox_kinds=repository.OUTBOX_KINDS
    )
    old_open = repository.submit_callback(
        session, callback_fields(JON), "k-3", outbox_kinds=repository.OUTBOX_KINDS
    )
    for reference in (old_closed, new_closed):
        repository.mark(session, reference, "closed", "olga")
    session.execute(
        update(PatientRequest)
        .where(PatientRequest.reference.in_([old_closed, old_open]))
        .values(updated_at=now - timedelta(days=91))
    )
    session.execute(
        update(PatientRequest)
        .where(PatientRequest.reference == new_closed)
        .values(updated_at=now - timedelta(days=89))
    )
    # old_open's jobs: one delivered long ago (due), one dead long ago (due);
    # new_closed's jobs: one delivered recently (kept), one still pending though old (kept).
    jobs = {(job.request_reference, job.kind): job.id for job in repository.outbox_jobs(session)}
    changes = {
        (old_open, "email"): {"status": "delivered", "delivered_at": now - timedelta(days=31)},
        (old_open, "webhook"): {"status": "dead", "created_at": now - timedelta(days=31)},
        (new_closed, "email"): {"status": "delivered", "delivered_at": now - timedelta(days=29)},
        (new_closed, "webhook"): {"created_at": now - timedelta(days=60)},
    }
    for key, values in changes.items():
        session.execute(update(OutboxJob).where(OutboxJob.id == jobs[key]).values(**values))
    for days in (31, 29):
        session.add(
            LoginAttempt(
                at=now - timedelta(days=days), username="x", ip="10.0.0.1", outcome="failed"
            )
        )
    session.commit()
    store_conversation(conversations_url, "stale", ["old"], at=now.timestamp() - 25 * 3600)
    store_conversation(conversations_url, "fresh", ["new"], at=now.timestamp() - 23 * 3600)

    result = privacy.purge(session, "olga", conf=conf, now=now)

    assert result.as_dict() == {
        "closed_requests": 1,
        "outbox_jobs": 4,  # old_closed's two, old_open's delivered and dead ones
        "conversations": 1,
        "login_attempts": 1,
    }
    session.rollback()
    remaining = {r.reference for r in repository.list_requests(session)}
    assert remaining == {new_closed, old_open}
    assert {(j.request_reference, j.kind) for j in repository.outbox_jobs(session)} == {
        (new_closed, "email"),
        (new_closed, "webhook"),
    }
    assert conversation_senders(conversations_url) == {"fresh"}
    assert session.execute(select(LoginAttempt)).scalars().one().at > now - timedelta(days=30)
    (event,) = session.execute(
        select(AuditEvent).where(AuditEvent.action == "privacy_purge")
    ).scalars()
    assert event.detail == result.as_dict()
    # A second purge has nothing left to do.
    assert privacy.purge(session, "olga", conf=conf, now=now).as_dict() == dict.fromkeys(
        result.as_dict(), 0
    )


def test_the_dispatcher_purges_at_start_then_once_per_interval(engine, session, conf):
    reference = repository.submit_request(
        session, mri_fields(JANE), "k-1", outbox_kinds=repository.OUTBOX_KINDS
    )
    repository.mark(session, reference, "closed", "olga")
    session.execute(update(PatientRequest).values(updated_at=utcnow() - timedelta(days=365)))
    session.commit()
    worker = Dispatcher(
        engine, config=dataclasses.replace(conf, purge_interval_hours=24), senders={}
    )
    assert worker.maybe_purge() is True
    assert worker.maybe_purge() is False
    assert repository.list_requests(session) == []
    (event,) = [e for e in repository.audit_events(session) if e.action == "privacy_purge"]
    assert event.actor == "dispatcher"
    assert event.detail["closed_requests"] == 1


def test_a_missing_conversation_store_is_nothing_to_purge_or_forget(session, conf, tmp_path):
    conf = dataclasses.replace(conf, tracker_store_url=f"sqlite:///{tmp_path / 'none.db'}")
    repository.submit_request(
        session,
        mri_fields(JANE, conversation_id="c-1"),
        "k-1",
        outbox_kinds=repository.OUTBOX_KINDS,
    )
    assert privacy.purge(session, "olga", conf=conf).conversations == 0
    assert privacy.forget(session, privacy.Person(email=JANE["email"]), "olga", conf=conf)
    assert not (tmp_path / "none.db").exists()


# --- the SQLite file ----------------------------------------------------------------


def test_the_sqlite_file_is_private_and_overwrites_what_is_deleted(tmp_path):
    path = tmp_path / "var" / "private.db"
    url = f"sqlite:///{path}"
    migrate(url, settings.load())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    engine = db.make_engine(url)
    sessions = db.make_session_factory(engine)
    with sessions() as session:
        assert session.execute(text("PRAGMA secure_delete")).scalar_one() == 1
        reference = repository.submit_request(
            session, mri_fields(JANE), "k-1", outbox_kinds=repository.OUTBOX_KINDS
        )
        privacy.forget(
            session,
            privacy.Person(reference=reference),
            "olga",
            conf=dataclasses.replace(
                settings.load(), tracker_store_url=f"sqlite:///{tmp_path / 'none.db'}"
            ),
        )
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        if (path.parent / name).exists():
            assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
            assert b"Quimby" not in (path.parent / name).read_bytes(), name


def test_an_existing_world_readable_sqlite_file_is_made_private(tmp_path):
    path = tmp_path / "old.db"
    path.touch()
    os.chmod(path, 0o644)
    db.make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
