"""Signed webhook posts to a real HTTP receiver that fails, stalls, goes down and returns."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from delivery_support import WEBHOOK_SECRET
from hypothesis import given
from hypothesis import strategies as st

from spinecare.delivery import webhook
from spinecare.delivery.dispatcher import Dispatcher
from spinecare.storage import repository
from tests.support.requests import callback_fields
from tests.support.requests import mri_review_fields as mri_fields


def submit(sessions, key, *, callback=False, kinds=("webhook",)):
    with sessions() as session:
        if callback:
            return repository.submit_callback(session, callback_fields(), key, outbox_kinds=kinds)
        return repository.submit_request(session, mri_fields(), key, outbox_kinds=kinds)


def only_job(sessions, reference):
    with sessions() as session:
        (job,) = repository.outbox_jobs(session, reference)
        return job


@pytest.fixture
def dispatcher(engine, make_config, clock):
    def make(**overrides):
        return Dispatcher(engine, config=make_config(**overrides), clock=clock, rng=lambda: 1.0)

    return make


# --- signatures ---------------------------------------------------------------------


def test_a_signature_verifies_and_any_change_breaks_it():
    body = b'{"reference":"MRI-7KQ2-9X"}'
    now = int(time.time())
    header = webhook.sign("s3cret-s3cret-s3cret", now, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert webhook.verify_signature("s3cret-s3cret-s3cret", str(now), body, header)
    assert webhook.verify_signature("s3cret-s3cret-s3cret", now, body.decode(), header)
    assert not webhook.verify_signature("other-secret-value", now, body, header)
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", now, body + b" ", header)
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", now + 1, body, header)
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", now, body, header[7:])
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", "soon", body, header)
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", None, body, header)
    assert not webhook.verify_signature("s3cret-s3cret-s3cret", now, body, None)
    assert not webhook.verify_signature("", now, body, webhook.sign("", now, body))


def test_old_or_future_timestamps_are_refused():
    body = b"{}"
    then = int(time.time()) - 301
    assert not webhook.verify_signature("k" * 20, then, body, webhook.sign("k" * 20, then, body))
    assert webhook.verify_signature(
        "k" * 20, then, body, webhook.sign("k" * 20, then, body), tolerance_seconds=600
    )
    later = int(time.time()) + 301
    assert not webhook.verify_signature("k" * 20, later, body, webhook.sign("k" * 20, later, body))


@given(
    secret=st.text(min_size=1, max_size=40),
    body=st.binary(max_size=300),
    tamper=st.binary(min_size=1, max_size=5),
)
def test_signatures_round_trip_and_detect_tampering(secret, body, tamper):
    now = int(time.time())
    header = webhook.sign(secret, now, body)
    assert webhook.verify_signature(secret, now, body, header, now=now)
    assert not webhook.verify_signature(secret, now, body + tamper, header, now=now)


# --- configuration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secret", "problem"),
    [
        ("", WEBHOOK_SECRET, "SPINECARE_WEBHOOK_URL is not set"),
        ("ftp://crm.example/hook", WEBHOOK_SECRET, "not an http(s) URL"),
        ("http://crm.practice.example/hook", WEBHOOK_SECRET, "must use https"),
        ("https://crm.practice.example/hook", "", "SPINECARE_WEBHOOK_SECRET"),
        ("https://crm.practice.example/hook", "short", "at least 16"),
        ("https://crm.practice.example/hook", WEBHOOK_SECRET, None),
        ("http://127.0.0.1:9/hook", WEBHOOK_SECRET, None),
        ("http://localhost:9/hook", WEBHOOK_SECRET, None),
        ("http://[::1]:9/hook", WEBHOOK_SECRET, None),
    ],
)
def test_an_unsafe_or_missing_destination_is_a_problem(make_config, url, secret, problem):
    sender = webhook.WebhookSender(make_config(webhook_url=url, webhook_secret=secret))
    if problem is None:
        assert sender.problem() is None
    else:
        assert problem in sender.problem()


def test_without_a_url_jobs_stay_pending_untouched(sessions, dispatcher, receiver, caplog):
    reference = submit(sessions, "k")
    idle = dispatcher(webhook_url="")
    with caplog.at_level("INFO"):
        assert idle.run_once().claimed == 0
        assert idle.run_once().claimed == 0
    job = only_job(sessions, reference)
    assert (job.status, job.attempts, job.last_error) == ("pending", 0, None)
    missing = [r for r in caplog.records if "SPINECARE_WEBHOOK_URL is not set" in r.getMessage()]
    assert len(missing) == 1
    assert receiver.posts == {}

    result = dispatcher().run_once()
    assert result.delivered == 1, only_job(sessions, reference).last_error
    assert only_job(sessions, reference).status == "delivered"


# --- delivery -----------------------------------------------------------------------


def test_the_receiver_gets_a_signed_body_with_the_documented_fields(sessions, dispatcher, receiver):
    mri = submit(sessions, "mri")
    callback = submit(sessions, "cb", callback=True)
    result = dispatcher().run_once()
    assert (result.claimed, result.delivered) == (2, 2)
    assert receiver.bad_signatures == 0

    body = receiver.deliveries[f"mri-review-request/{mri}/webhook"]
    assert body["schema"] == "spinecare.request.v1"
    assert body["event"] == "mri_review_request.created"
    assert (body["reference"], body["request_type"]) == (mri, "mri_review")
    assert body["created_at"].endswith("+00:00")
    assert set(body["request"]) == {*webhook.BODY_FIELDS, "consent"}
    assert body["request"]["first_name"] == "Zebediah"
    assert body["request"]["phone"] == "+12125550182"
    assert body["request"]["mri_taken"] == "2026-08-01"
    assert body["request"]["treatments_tried"] == ["physical_therapy"]
    assert body["request"]["consent"]["given"] is True
    assert "consent_text" not in json.dumps(body) and "conv-mri" not in json.dumps(body)

    body = receiver.deliveries[f"callback-request/{callback}/webhook"]
    assert (body["event"], body["request_type"]) == ("callback_request.created", "callback")
    assert body["request"]["patient_notes"] == "Numb toes since the weekend."
    assert body["request"]["state"] is None and body["request"]["has_mri"] is None
    assert body["request"]["contact_method"] == "call"


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(sessions, dispatcher, receiver):
    reference = submit(sessions, "k")
    result = dispatcher(webhook_secret="not-the-receivers-secret").run_once()
    assert result.failed == 1
    assert receiver.bad_signatures == 1
    assert only_job(sessions, reference).last_error == "HTTPStatusError: HTTP 401"


def test_failures_back_off_then_dead_letter_and_retry_brings_it_back(
    sessions, dispatcher, receiver, clock
):
    reference = submit(sessions, "k")
    receiver.mode = "fail"
    worker = dispatcher(dispatch_max_attempts=4)
    expected_waits = [10, 20, 25]  # base 10 doubling, capped at 25 (rng pinned to 1.0)
    for attempt, wait in enumerate(expected_waits, start=1):
        assert worker.run_once().failed == 1
        job = only_job(sessions, reference)
        assert (job.status, job.attempts) == ("pending", attempt)
        assert job.next_attempt_at == clock.now + timedelta(seconds=wait)
        assert job.last_error == "HTTPStatusError: HTTP 500"
        clock.advance(wait - 1)
        assert worker.run_once().claimed == 0, "retried before its time"
        clock.advance(1)
    assert worker.run_once().dead == 1
    job = only_job(sessions, reference)
    assert (job.status, job.attempts, job.last_error) == ("dead", 4, "HTTPStatusError: HTTP 500")

    receiver.mode = "ok"
    clock.advance(3600)
    assert worker.run_once().claimed == 0, "a dead job is not retried on its own"

    worker.retry(job.id, "operator-olga")
    job = only_job(sessions, reference)
    assert (job.status, job.attempts) == ("pending", 0)
    with sessions() as session:
        event = repository.audit_events(session, reference)[-1]
    assert (event.actor, event.action) == ("operator-olga", "outbox_retry")
    assert event.detail == {"job_id": job.id, "kind": "webhook", "attempts": 4}

    assert worker.run_once().delivered == 1
    assert only_job(sessions, reference).status == "delivered"
    assert list(receiver.deliveries) == [f"mri-review-request/{reference}/webhook"]
    assert sum(receiver.posts.values()) == 1


def test_a_receiver_that_answers_too_late_gets_the_post_once(sessions, dispatcher, receiver, clock):
    """It stored the post but timed out: the resend is deduped by Idempotency-Key."""
    reference = submit(sessions, "k")
    receiver.mode = "slow"
    worker = dispatcher()
    assert worker.run_once().failed == 1
    assert only_job(sessions, reference).last_error == "ReadTimeout: timed out"

    receiver.mode = "ok"
    clock.advance(10)
    assert worker.run_once().delivered == 1
    key = f"mri-review-request/{reference}/webhook"
    assert receiver.posts[key] == 2
    assert list(receiver.deliveries) == [key]


def test_a_receiver_that_is_down_gets_everything_once_when_it_returns(
    sessions, dispatcher, receiver, clock
):
    references = [submit(sessions, f"k{i}", callback=i % 2 == 1) for i in range(3)]
    receiver.stop()
    worker = dispatcher()
    assert worker.run_once().failed == 3
    for reference in references:
        assert only_job(sessions, reference).last_error == "ConnectError: could not connect"

    receiver.start()
    clock.advance(10)
    assert worker.run_once().delivered == 3
    assert worker.run_once().claimed == 0
    assert len(receiver.deliveries) == 3
    assert set(receiver.posts.values()) == {1}


def test_redirects_are_failures_not_followed(sessions, dispatcher, receiver):
    reference = submit(sessions, "k")
    worker = dispatcher(webhook_url=f"http://127.0.0.1:{receiver.port}/missing")

    class Redirecting:
        kind = "webhook"

        def problem(self):
            return None

        def send(self, job, request):
            raise webhook.DeliveryFailed("HTTP 302", error_type="HTTPStatusError")

    worker.senders["webhook"] = Redirecting()
    assert worker.run_once().failed == 1
    assert only_job(sessions, reference).last_error == "HTTPStatusError: HTTP 302"


def test_a_zero_jitter_retry_waits_for_the_next_run(engine, make_config, clock, sessions, receiver):
    reference = submit(sessions, "k")
    receiver.mode = "fail"

    def ticking():
        clock.advance(0.001)
        return clock.now

    worker = Dispatcher(engine, config=make_config(), clock=ticking, rng=lambda: 0.0)
    result = worker.run_once()
    assert (result.claimed, result.failed) == (1, 1)
    job = only_job(sessions, reference)
    assert job.attempts == 1 and job.status == "pending"
    receiver.mode = "ok"
    assert worker.run_once().delivered == 1
