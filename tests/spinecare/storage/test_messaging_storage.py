"""The opt-out registry, taken-in message ids and contacts, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from spinecare.intake.consent import consent_record
from spinecare.storage import messaging, repository

SPINECARE = Path(sys.executable).with_name("spinecare")
PHONE = "+13125550199"


def submit(session, key: str, **overrides) -> str:
    fields = {
        "first_name": "Jon",
        "last_name": "Doe",
        "phone": PHONE,
        "state": "IL",
        "adult": True,
        "has_mri": False,
        "contact_method": "text",
        "best_time": "morning",
        "conversation_id": "sms-abc",
        "sender": PHONE,
        **consent_record("sms"),
        **overrides,
    }
    return repository.submit_request(session, fields, key, outbox_kinds=())


def test_a_number_that_said_stop_may_not_be_texted_until_start(session):
    assert messaging.may_text(session, PHONE)
    messaging.check_may_text(session, PHONE)

    messaging.record_opt_out(session, PHONE, "sms", "keyword")
    assert not messaging.may_text(session, PHONE)
    with pytest.raises(messaging.OptedOut) as raised:
        messaging.check_may_text(session, PHONE)
    assert PHONE not in str(raised.value)

    messaging.record_opt_in(session, PHONE, "sms")
    assert messaging.may_text(session, PHONE)
    row = messaging.opt_out_record(session, PHONE)
    assert row.opted_out is False and row.opted_out_at and row.opted_in_at  # history kept
    assert row.method == "keyword"


def test_one_registry_entry_per_phone_for_sms_and_whatsapp(session):
    sms = messaging.opt_out_address("sms", PHONE)
    whatsapp = messaging.opt_out_address("whatsapp", PHONE)
    assert sms == whatsapp == PHONE
    messaging.record_opt_out(session, whatsapp, "whatsapp", "plain_language")
    assert not messaging.may_text(session, sms)
    assert messaging.opt_out_address("messenger", "123") == "messenger:123"
    with pytest.raises(ValueError):
        messaging.opt_out_address("sms", "3125550199")
    with pytest.raises(ValueError):
        messaging.opt_out_address("messenger", "not-an-id")


def test_requests_show_the_opt_out_and_it_is_audited_without_the_number(session):
    by_phone = submit(session, "k1")
    by_sender = submit(session, "k2", phone="+12125550182")  # another contact number
    other = submit(session, "k3", phone="+12125550100", sender=None, conversation_id="web")
    messaging.record_opt_out(session, PHONE, "sms", "keyword")
    session.expire_all()

    flags = {r.reference: r.messages_opted_out for r in repository.list_requests(session)}
    assert flags == {by_phone: True, by_sender: True, other: False}
    exported = {row["reference"]: row for row in repository.export_rows(session)}
    assert exported[by_phone]["messages_opted_out"] is True
    assert exported[by_phone]["sender"] == PHONE

    events = [e for e in repository.audit_events(session) if e.action == "messages_opt_out"]
    assert {e.reference for e in events} == {by_phone, by_sender}
    assert all(e.actor == "patient" for e in events)
    assert PHONE not in json.dumps([e.detail for e in events])

    messaging.record_opt_in(session, PHONE, "sms")
    session.expire_all()
    assert not repository.get_request(session, by_phone).messages_opted_out


def test_a_sender_must_be_a_number_or_a_messenger_id(session):
    with pytest.raises(repository.InvalidSubmission, match="sender must be"):
        submit(session, "bad", sender="jon@mail.example")
    assert submit(session, "fb", sender="messenger:123456")


def test_a_provider_message_id_is_taken_in_once(session):
    assert messaging.claim_inbound(session, "twilio", "SM1")
    assert not messaging.claim_inbound(session, "twilio", "SM1")
    assert messaging.claim_inbound(session, "messenger", "SM1")  # another provider's namespace


def test_concurrent_retries_of_one_message_are_taken_in_once(sessions):
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def claim():
        with sessions() as session:
            barrier.wait()
            results.append(messaging.claim_inbound(session, "twilio", "SM-race"))

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]


def test_contacts_are_pseudonymous_and_separate_for_sms_and_whatsapp(session):
    sms = messaging.contact_for_inbound(session, "sms", PHONE)
    again = messaging.contact_for_inbound(session, "sms", PHONE)
    whatsapp = messaging.contact_for_inbound(session, "whatsapp", PHONE)
    assert sms.conversation_id == again.conversation_id
    assert whatsapp.conversation_id != sms.conversation_id
    assert sms.conversation_id.startswith("sms-") and "3125550199" not in sms.conversation_id
    assert again.last_inbound_at >= sms.last_inbound_at
    assert again.within_session_window()

    messaging.set_pending_choices(session, sms.conversation_id, [{"title": "Yes", "payload": "y"}])
    found = messaging.contact_by_conversation(session, sms.conversation_id)
    assert found.pending_choices == ({"title": "Yes", "payload": "y"},)
    messaging.set_pending_choices(session, sms.conversation_id, [])
    assert messaging.contact_by_conversation(session, sms.conversation_id).pending_choices == ()
    assert messaging.contact_by_conversation(session, "sms-unknown") is None


def test_the_cli_lists_and_shows_an_opted_out_number(session, database_url):
    reference = submit(session, "cli")
    messaging.record_opt_out(session, PHONE, "sms", "keyword")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update(SPINECARE_DATABASE_URL=database_url, USER="tester")

    def run(*args):
        result = subprocess.run([str(SPINECARE), *args], capture_output=True, text=True, env=env,
                                timeout=60, check=False)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    listing = run("requests", "list").splitlines()
    assert listing[0].split()[-1] == "TEXTS"
    (row,) = [line for line in listing if line.startswith(reference)]
    assert row.endswith("opted out")
    shown = run("requests", "show", reference)
    assert re.search(r"^Texts opted out: +yes$", shown, re.MULTILINE)
    assert f"Texted from:            {PHONE}" in shown
