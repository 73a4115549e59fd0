"""Patient fields encrypted at rest (issue 12), on SQLite and a real PostgreSQL.

Raw rows are read with the database's own driver (sqlite3, psycopg2): nothing a
person typed may be readable there, in any spelling, and every exact lookup
(phone, email, sender, text-channel address) still works through the keyed hashes.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from cryptography.fernet import Fernet

from spinecare import crypto, privacy, settings
from spinecare.storage import db, messaging, repository
from spinecare.storage.models import utcnow
from spinecare.storage.schema import alembic_config, current_revision, head_revision, migrate
from tests.spinecare.storage.test_privacy import (
    JANE,
    JON,
    mri_fields,
    raw_dump,
    store_conversation,
    submit_jane_and_jon,
)

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
LOOKUP = "a-lookup-key-for-the-encryption-tests-0123456789"
BASE64_CHAR = r"[A-Za-z0-9_\-]"
PLAIN_TABLES = ["mri_review_request", "outbox_job", "messaging_opt_out", "messaging_contact"]


def jane_spellings() -> list[str]:
    """Everything of Jane that must not be readable, in every usual spelling."""
    return [
        "Jane",
        "Quimby",
        "+13125550147",
        "13125550147",
        "3125550147",
        "(312) 555-0147",
        "312-555-0147",
        "312.555.0147",
        "555-0147",
        "Jane.Quimby@mail.example",
        "jane.quimby@mail.example",
        "60601",
        "Burning pain",
        "calf",
        "six weeks",
        "sciatica",
        "physical_therapy",
        "lumbar",
        "2025-03-01",
    ]


def readable(dump: str, values: list[str]) -> list[str]:
    """The values found in `dump` as text of their own (not inside a random token or hash)."""
    return [
        value
        for value in values
        if re.search(rf"(?<!{BASE64_CHAR}){re.escape(value)}(?!{BASE64_CHAR})", dump)
    ]


def decrypted(dump: str) -> str:
    """The dump with every token it holds decrypted and appended."""
    cipher = crypto.current_cipher()
    plain = [cipher.decrypt(token) for token in set(re.findall(r"gAAAAA[A-Za-z0-9_\-=]+", dump))]
    return dump + "\n" + "\n".join(plain)


def jane_everywhere(session) -> tuple[str, str, str]:
    jane_mri, jane_callback, jon = submit_jane_and_jon(session)
    messaging.record_opt_out(session, JANE["phone"], "sms", "keyword")
    messaging.contact_for_inbound(session, "sms", JANE["phone"])
    contact = messaging.contact_for_inbound(session, "messenger", "messenger:4455667788")
    messaging.set_pending_choices(
        session, contact.conversation_id, [{"title": "Yes, 312-555-0147", "payload": "/affirm"}]
    )
    return jane_mri, jane_callback, jon


@pytest.fixture
def jane_mri_taken(monkeypatch):
    """Jane's MRI month, not a date that could be a timestamp of the test run."""
    original = mri_fields

    def fields(person, **overrides):
        return original(person, **{"mri_taken": date(2025, 3, 1), **overrides})

    monkeypatch.setattr(f"{__name__}.mri_fields", fields)
    monkeypatch.setattr("tests.spinecare.storage.test_privacy.mri_fields", fields)


def test_raw_rows_hold_no_readable_patient_value(session, database_url, jane_mri_taken):
    jane_mri, jane_callback, _jon = jane_everywhere(session)
    dump = raw_dump(database_url)
    assert jane_mri in dump  # the dump does see the rows
    assert readable(dump, jane_spellings()) == []
    assert readable(dump, ["messenger:4455667788", "4455667788"]) == []
    # ...but every value is there, encrypted, and comes back as submitted.
    assert readable(decrypted(dump), ["Quimby", "+13125550147", "60601", "calf"]) == [
        "Quimby",
        "+13125550147",
        "60601",
        "calf",
    ]
    session.expunge_all()
    stored = repository.get_request(session, jane_mri)
    assert (stored.first_name, stored.last_name, stored.phone) == ("Jane", "Quimby", JANE["phone"])
    assert (stored.email, stored.zip_code, stored.symptoms) == (
        JANE["email"],
        "60601",
        JANE["symptoms"],
    )
    assert stored.mri_taken == date(2025, 3, 1) and stored.mri_region == "lumbar"
    assert stored.symptom_entities == ["sciatica"]
    assert stored.treatments_tried == ["physical_therapy"]
    assert stored.messages_opted_out is True
    callback = repository.get_request(session, jane_callback)
    assert callback.patient_notes == "Please call about my six weeks of pain."
    assert callback.sender == JANE["phone"]


def test_exact_lookups_go_through_the_keyed_hashes(session, jane_mri_taken):
    jane_mri, jane_callback, jon = jane_everywhere(session)
    for spelling in ("(312) 555-0147", "312.555.0147", "+13125550147"):
        found = privacy.requests_of(session, privacy.Person(phone=spelling))
        assert {r.reference for r in found} == {jane_mri, jane_callback}, spelling
    found = privacy.requests_of(session, privacy.Person(email="JANE.quimby@MAIL.example"))
    assert {r.reference for r in found} == {jane_mri, jane_callback}
    assert messaging.is_opted_out(session, JANE["phone"])
    assert not messaging.is_opted_out(session, JON["phone"])
    assert messaging.opted_out_addresses(session, [JANE["phone"], JON["phone"]]) == {JANE["phone"]}
    first = messaging.contact_for_inbound(session, "sms", JANE["phone"])
    assert messaging.contact_for_inbound(session, "sms", JANE["phone"]).conversation_id == (
        first.conversation_id
    )
    assert first.address == JANE["phone"]
    choices = messaging.contact_for_inbound(session, "messenger", "messenger:4455667788")
    assert choices.pending_choices == ({"title": "Yes, 312-555-0147", "payload": "/affirm"},)
    assert repository.get_request(session, jon).messages_opted_out is False


def test_forget_leaves_no_trace_by_value_or_by_hash(session, database_url, conf):
    _jane_mri, _jane_callback, jon = submit_jane_and_jon(session)
    messaging.contact_for_inbound(session, "sms", JANE["phone"])
    hashes = [
        crypto.stored_lookup_hash(JANE["phone"]),
        crypto.stored_lookup_hash(JANE["email"]),
    ]
    assert all(h in raw_dump(database_url) for h in hashes)

    privacy.forget(session, privacy.Person(phone="(312) 555-0147"), "olga", conf=conf)

    dump = decrypted(raw_dump(database_url))
    assert readable(dump, ["Quimby", "+13125550147", JANE["email"], "60601", "calf"]) == []
    assert [h for h in hashes if h in dump] == []
    assert "Doe" in dump and crypto.stored_lookup_hash(JON["phone"]) in dump
    assert repository.get_request(session, jon).last_name == "Doe"


# --- the migration ------------------------------------------------------------------


def test_the_migration_encrypts_rows_stored_before_it(database_url):
    config = alembic_config(database_url)
    command.downgrade(config, "0004")
    assert current_revision(database_url) == "0004"
    engine = db.make_engine(database_url)
    try:
        with engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection, only=PLAIN_TABLES)
            moment = utcnow()
            values = {
                "reference": "MRI-PLAN-23",
                "first_name": "Jane",
                "last_name": "Quimby",
                "phone": JANE["phone"],
                "email": JANE["email"],
                "zip_code": "60601",
                "request_type": "mri_review",
                "state": "IL",
                "adult": True,
                "has_mri": True,
                "mri_taken": date(2025, 3, 1),
                "mri_older_than_two_years": False,
                "mri_region": "lumbar",
                "symptoms": JANE["symptoms"],
                "symptom_entities": ["sciatica"],
                "symptom_duration": "six weeks",
                "treatments_tried": ["physical_therapy"],
                "contact_method": "call",
                "best_time": "morning",
                "consent": True,
                "consent_version": "v1",
                "consent_text": "I agree to be contacted.",
                "consented_at": moment,
                "channel": "sms",
                "sender": JANE["phone"],
                "submission_key": "plain-1",
                "status": "new",
                "created_at": moment,
                "updated_at": moment,
            }
            connection.execute(tables.tables["mri_review_request"].insert().values(**values))
            connection.execute(
                tables.tables["outbox_job"]
                .insert()
                .values(
                    request_reference="MRI-PLAN-23",
                    kind="email",
                    idempotency_key="plain/MRI-PLAN-23/email",
                    payload={"event": "mri_review_request.created", "reference": "MRI-PLAN-23"},
                    status="pending",
                    attempts=0,
                    next_attempt_at=moment,
                    created_at=moment,
                )
            )
            connection.execute(
                tables.tables["messaging_opt_out"]
                .insert()
                .values(
                    address=JANE["phone"],
                    opted_out=True,
                    channel="sms",
                    method="keyword",
                    opted_out_at=moment,
                    updated_at=moment,
                )
            )
            connection.execute(
                tables.tables["messaging_contact"]
                .insert()
                .values(
                    conversation_id="sms-plain",
                    channel="sms",
                    address=JANE["phone"],
                    pending_choices=[{"title": "Call 312-555-0147", "payload": "/affirm"}],
                    created_at=moment,
                    last_inbound_at=moment,
                )
            )
        assert "Quimby" in raw_dump(database_url)
    finally:
        engine.dispose()

    assert migrate(database_url, settings.load()) == head_revision()

    dump = raw_dump(database_url)
    assert readable(dump, jane_spellings()) == []
    assert "plain/MRI-PLAN-23/email" in dump  # the outbox job survived the table rebuild
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            stored = repository.get_request(session, "MRI-PLAN-23")
            assert (stored.first_name, stored.last_name, stored.email) == (
                "Jane",
                "Quimby",
                JANE["email"],
            )
            assert stored.mri_taken == date(2025, 3, 1)
            assert stored.symptom_entities == ["sciatica"]
            assert stored.treatments_tried == ["physical_therapy"]
            assert stored.sender == JANE["phone"] and stored.messages_opted_out is True
            assert [job.kind for job in repository.outbox_jobs(session, "MRI-PLAN-23")] == ["email"]
            found = privacy.requests_of(session, privacy.Person(email="jane.QUIMBY@mail.example"))
            assert [r.reference for r in found] == ["MRI-PLAN-23"]
            assert messaging.is_opted_out(session, JANE["phone"])
            contact = messaging.contact_for_inbound(session, "sms", JANE["phone"])
            assert contact.conversation_id == "sms-plain" and contact.address == JANE["phone"]
            assert contact.pending_choices[0]["title"] == "Call 312-555-0147"
    finally:
        engine.dispose()


# --- key rotation -------------------------------------------------------------------


def test_rotation_re_encrypts_everything_and_the_old_key_can_then_go(
    monkeypatch, database_url, sessions, conf, conversations_url
):
    monkeypatch.setenv("SPINECARE_LOOKUP_KEY", LOOKUP)
    monkeypatch.setenv("SPINECARE_DATA_KEYS", OLD)
    with sessions() as session:
        jane_mri, _callback, jon = jane_everywhere(session)
    store_conversation(conversations_url, "conv-jane-1", ["my calf burns"])
    old_tokens = set(re.findall(r"gAAAAA[A-Za-z0-9_\-=]+", raw_dump(database_url)))
    assert old_tokens

    monkeypatch.setenv("SPINECARE_DATA_KEYS", f"{NEW},{OLD}")
    real_reencrypt, calls = privacy.keys._reencrypt, []

    def interrupted(value, cipher):
        calls.append(value)
        if len(calls) > 30:  # into the request table, after its first batches are committed
            raise KeyboardInterrupt
        return real_reencrypt(value, cipher)

    monkeypatch.setattr(privacy.keys, "_reencrypt", interrupted)
    with sessions() as session, pytest.raises(KeyboardInterrupt):
        privacy.rotate_keys(session, "olga", batch_size=1, conf=conf)
    monkeypatch.setattr(privacy.keys, "_reencrypt", real_reencrypt)
    halfway = set(re.findall(r"gAAAAA[A-Za-z0-9_\-=]+", raw_dump(database_url)))
    assert halfway & old_tokens and halfway - old_tokens  # some rows done, some not

    with sessions() as session:
        archive = privacy.ConversationArchive(conversations_url)
        counts = privacy.rotate_keys(
            session, "olga", batch_size=2, conf=conf, conversations=archive
        )
        archive.close()
    assert 0 < counts["mri_review_request"] < 3  # the interrupted run's batches are not redone
    # The text tables come first and were done before the interruption.
    assert counts["messaging_opt_out"] == 0 and counts["messaging_contact"] == 0
    assert counts["conversation_events"] == 1
    new_tokens = set(re.findall(r"gAAAAA[A-Za-z0-9_\-=]+", raw_dump(database_url)))
    assert not old_tokens & new_tokens
    assert all(crypto.current_cipher().is_current(token) for token in new_tokens)

    with sessions() as session:  # a second run finds nothing left to do (resumable)
        again = privacy.rotate_keys(
            session,
            "olga",
            conf=conf,
            conversations=privacy.ConversationArchive(conversations_url),
        )
        assert set(again.values()) == {0}
        assert [e.action for e in repository.audit_events(session)][-2:] == [
            "privacy_rotate_key",
            "privacy_rotate_key",
        ]

    monkeypatch.setenv("SPINECARE_DATA_KEYS", NEW)
    with sessions() as session:
        stored = repository.get_request(session, jane_mri)
        assert (stored.last_name, stored.phone, stored.symptoms) == (
            "Quimby",
            JANE["phone"],
            JANE["symptoms"],
        )
        assert stored.messages_opted_out is True
        assert repository.get_request(session, jon).last_name == "Doe"
        assert messaging.is_opted_out(session, JANE["phone"])
        rows = repository.export_rows(session)
        assert {row["first_name"] for row in rows} == {"Jane", "Jon"}
    new_only = privacy.ConversationArchive(
        conversations_url,
        decode=privacy._conversation_decoder(dataclasses.replace(conf, data_keys=(NEW,))),
    )
    try:
        assert new_only.events(["conv-jane-1"])["conv-jane-1"][0]["text"] == "my calf burns"
    finally:
        new_only.close()
