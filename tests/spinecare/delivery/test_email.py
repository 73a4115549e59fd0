"""Notification emails received by a real SMTP server (aiosmtpd) run by the test."""

from __future__ import annotations

import pytest
from delivery_support import PERSONAL_VALUES

from spinecare.delivery import email as email_delivery
from spinecare.delivery.dispatcher import Dispatcher
from spinecare.storage import repository
from tests.support.requests import callback_fields
from tests.support.requests import mri_review_fields as mri_fields


def submit(sessions, key, *, callback=False):
    with sessions() as session:
        if callback:
            return repository.submit_callback(
                session, callback_fields(), key, outbox_kinds=("email",)
            )
        return repository.submit_request(session, mri_fields(), key, outbox_kinds=("email",))


def only_job(sessions, reference):
    with sessions() as session:
        (job,) = repository.outbox_jobs(session, reference)
        return job


@pytest.fixture
def dispatcher(engine, make_config, clock):
    def make(**overrides):
        return Dispatcher(engine, config=make_config(**overrides), clock=clock, rng=lambda: 1.0)

    return make


def test_the_email_says_only_what_is_needed_by_default(sessions, dispatcher, mailbox):
    reference = submit(sessions, "mri")
    assert dispatcher().run_once().delivered == 1
    assert only_job(sessions, reference).status == "delivered"

    (message,) = mailbox.messages
    (envelope,) = mailbox.envelopes
    key = f"mri-review-request/{reference}/email"
    assert envelope.mail_from == "spinecare@practice.example"
    assert envelope.rcpt_tos == ["consultants@practice.example", "lead@practice.example"]
    assert message["Subject"] == f"New MRI review request {reference}"
    assert message["To"] == "consultants@practice.example, lead@practice.example"
    assert message["Message-ID"] == f"<{key}@practice.example>"
    assert message["X-SpineCare-Idempotency-Key"] == key
    assert message["X-SpineCare-Reference"] == reference
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"]

    body = message.get_content()
    assert f"Reference:    {reference}" in body
    assert "Request type: MRI review" in body
    assert "Received:" in body and "UTC" in body
    assert "Contact by:   call" in body
    assert "Best time:    morning" in body
    assert f"https://console.practice.example/requests/{reference}" in body
    raw = message.as_string()
    for value in PERSONAL_VALUES:
        assert value not in raw, value


def test_details_are_included_only_when_the_practice_turns_them_on(sessions, dispatcher, mailbox):
    mri = submit(sessions, "mri")
    callback = submit(sessions, "cb", callback=True)
    assert dispatcher(email_include_details=True).run_once().delivered == 2

    by_reference = {message["X-SpineCare-Reference"]: message for message in mailbox.messages}
    body = by_reference[mri].get_content()
    for expected in (
        "First name: Zebediah",
        "Last name: Quintrell",
        "Phone: +12125550182",
        "Email: zeb.quintrell@mail.example",
        "State: NY",
        "MRI taken: 2026-08",
        "Symptoms: Burning pain down my left calf when sitting.",
        "Treatments tried: physical_therapy",
    ):
        assert expected in body
    assert "leaves out the person's details" not in body
    assert "Zebediah" not in by_reference[mri]["Subject"]

    body = by_reference[callback].get_content()
    assert "Request type: callback" in body
    assert "Best time:    afternoon" in body
    assert "Notes from the person: Numb toes since the weekend." in body
    assert "Has an MRI" not in body


def test_a_callback_email_without_details_leaves_out_the_notes(sessions, dispatcher, mailbox):
    reference = submit(sessions, "cb", callback=True)
    assert dispatcher().run_once().delivered == 1
    (message,) = mailbox.messages
    assert message["Subject"] == f"New callback request {reference}"
    assert message["X-SpineCare-Idempotency-Key"] == f"callback-request/{reference}/email"
    raw = message.as_string()
    assert "Request type: callback" in message.get_content()
    for value in PERSONAL_VALUES:
        assert value not in raw, value


def test_a_refusing_server_is_retried_then_gets_the_mail_once(sessions, dispatcher, mailbox, clock):
    reference = submit(sessions, "mri")
    mailbox.fail_code = 451
    worker = dispatcher()
    assert worker.run_once().failed == 1
    job = only_job(sessions, reference)
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.last_error == "SMTPDataError: SMTP reply 451"

    mailbox.fail_code = None
    clock.advance(10)
    assert worker.run_once().delivered == 1
    assert len(mailbox.messages) == 1


def test_a_server_that_is_down_is_retried_until_it_returns(sessions, dispatcher, mailbox, clock):
    references = [submit(sessions, f"k{i}") for i in range(2)]
    mailbox.stop()
    worker = dispatcher()
    assert worker.run_once().failed == 2
    assert {only_job(sessions, r).last_error for r in references} == {
        "ConnectionRefusedError: connection refused"
    }
    mailbox.start()
    clock.advance(10)
    assert worker.run_once().delivered == 2
    assert set(mailbox.received.values()) == {1}


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"smtp_recipients": ()}, "SPINECARE_SMTP_RECIPIENTS"),
        ({"smtp_host": ""}, "SPINECARE_SMTP_HOST"),
        ({"smtp_username": "relay-user", "smtp_password": ""}, "SPINECARE_SMTP_PASSWORD"),
    ],
)
def test_without_a_destination_email_jobs_wait(
    sessions, dispatcher, mailbox, overrides, problem, caplog
):
    reference = submit(sessions, "mri")
    worker = dispatcher(**overrides)
    with caplog.at_level("WARNING", logger="spinecare.delivery"):
        assert worker.run_once().claimed == 0
        assert worker.run_once().claimed == 0
    assert [problem in r.getMessage() for r in caplog.records] == [True]
    job = only_job(sessions, reference)
    assert (job.status, job.attempts) == ("pending", 0)
    assert mailbox.messages == []


def test_starttls_against_a_server_without_it_is_a_clear_failure(sessions, dispatcher, mailbox):
    reference = submit(sessions, "mri")
    assert dispatcher(smtp_starttls=True).run_once().failed == 1
    assert only_job(sessions, reference).last_error == (
        "SMTPNotSupportedError: the server does not support STARTTLS"
    )
    assert mailbox.messages == []


def test_the_message_id_is_stable_for_one_job():
    assert email_delivery.message_id("callback-request/MRI-7KQ2-9X/email", "a@b.example") == (
        "<callback-request/MRI-7KQ2-9X/email@b.example>"
    )
    assert email_delivery.message_id("k", "no-domain").endswith("@no-domain>")
