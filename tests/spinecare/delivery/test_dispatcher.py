"""The dispatcher end to end: real receivers, both databases, concurrent and killed workers."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from delivery_support import (
    PERSONAL_VALUES,
    WEBHOOK_SECRET,
    wait_until,
)
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from spinecare import settings
from spinecare.delivery import dispatcher as dispatch
from spinecare.delivery.dispatcher import Dispatcher, full_jitter_backoff
from spinecare.storage import db, repository
from spinecare.storage.models import OutboxJob
from tests.support.requests import callback_fields
from tests.support.requests import mri_review_fields as mri_fields

SPINECARE = Path(sys.executable).with_name("spinecare")


def submit_mix(sessions, count, prefix="k"):
    references = []
    with sessions() as session:
        for i in range(count):
            if i % 2:
                references.append(
                    repository.submit_callback(
                        session,
                        callback_fields(),
                        f"{prefix}{i}",
                        outbox_kinds=repository.OUTBOX_KINDS,
                    )
                )
            else:
                references.append(
                    repository.submit_request(
                        session, mri_fields(), f"{prefix}{i}", outbox_kinds=repository.OUTBOX_KINDS
                    )
                )
    return references


def jobs(sessions):
    with sessions() as session:
        return repository.outbox_jobs(session)


def expected_keys(references, kind):
    keys = set()
    for reference in references:
        prefix = "callback-request" if references.index(reference) % 2 else "mri-review-request"
        keys.add(f"{prefix}/{reference}/{kind}")
    return keys


@pytest.fixture
def dispatcher(engine, make_config, clock):
    def make(engine_=None, **overrides):
        return Dispatcher(
            engine_ or engine, config=make_config(**overrides), clock=clock, rng=lambda: 1.0
        )

    return make


def test_requests_made_while_both_receivers_are_down_arrive_once_each(
    sessions, dispatcher, mailbox, receiver, clock
):
    mailbox.stop()
    receiver.stop()
    references = submit_mix(sessions, 3)
    worker = dispatcher()
    assert worker.run_once().failed == 6
    assert worker.run_once().claimed == 0

    mailbox.start()
    receiver.start()
    rounds = 0
    while True:
        clock.advance(60)
        if worker.run_once().claimed == 0:
            break
        rounds += 1
    assert rounds == 1
    assert {job.status for job in jobs(sessions)} == {"delivered"}
    assert mailbox.keys == expected_keys(references, "email")
    assert set(receiver.deliveries) == expected_keys(references, "webhook")
    assert set(mailbox.received.values()) == {1}
    assert set(receiver.posts.values()) == {1}


def test_two_dispatchers_at_once_never_send_a_job_twice(
    database_url, sessions, dispatcher, mailbox, receiver
):
    references = submit_mix(sessions, 10)
    mailbox.delay = receiver.delay = 0.01
    engines = [db.make_engine(database_url) for _ in range(3)]
    results: list[dispatch.DispatchResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(engines))

    def work(own_engine):
        try:
            # Three workers and two receivers share one busy CI core: generous timeouts
            # keep this about claiming, not about a send that took over half a second.
            worker = dispatcher(own_engine, smtp_timeout_seconds=10.0, webhook_timeout_seconds=10.0)
            barrier.wait(timeout=10)
            while (result := worker.run_once()).claimed:
                results.append(result)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for own_engine in engines:
        own_engine.dispose()
    assert not errors
    assert sum(r.delivered for r in results) == 20, [
        (job.status, job.attempts, job.last_error) for job in jobs(sessions)
    ]
    assert sum(r.claimed for r in results) == 20
    assert {(job.status, job.attempts) for job in jobs(sessions)} == {("delivered", 1)}
    assert set(mailbox.received.values()) == {1} and len(mailbox.received) == 10
    assert set(receiver.posts.values()) == {1} and len(receiver.posts) == 10
    assert set(receiver.deliveries) == expected_keys(references, "webhook")


def test_a_claimed_job_waits_for_its_lease_and_a_stale_result_does_not_overwrite(
    sessions, dispatcher, receiver, clock
):
    with sessions() as session:
        reference = repository.submit_request(session, mri_fields(), "k", outbox_kinds=("webhook",))
    stale = dispatcher()
    claimed = stale._claim(("webhook",))  # then "crashes" before sending
    assert claimed.attempts == 1
    assert claimed.lease_until == clock.now + timedelta(seconds=30)

    fresh = dispatcher()
    assert fresh.run_once().claimed == 0
    clock.advance(29)
    assert fresh.run_once().claimed == 0
    clock.advance(1)
    assert fresh.run_once().delivered == 1
    (job,) = jobs(sessions)
    assert (job.status, job.attempts) == ("delivered", 2)
    delivered_at = job.delivered_at

    clock.advance(5)
    assert stale._deliver(claimed) == "delivered"  # it wakes up and sends again
    (job,) = jobs(sessions)
    assert (job.status, job.attempts, job.delivered_at) == ("delivered", 2, delivered_at)
    key = f"mri-review-request/{reference}/webhook"
    assert receiver.posts[key] == 2 and list(receiver.deliveries) == [key]


def test_last_error_names_the_error_class_never_personal_data(sessions, dispatcher):
    submit_mix(sessions, 2)

    class Leaky:
        def __init__(self, kind):
            self.kind = kind

        def problem(self):
            return None

        def send(self, job, request):
            raise ValueError(f"cannot reach {request.first_name} at {request.phone}")

    worker = dispatcher()
    worker.senders = {"email": Leaky("email"), "webhook": Leaky("webhook")}
    assert worker.run_once().failed == 4
    for job in jobs(sessions):
        assert job.last_error == "ValueError"
        assert not any(value in job.last_error for value in PERSONAL_VALUES)


def test_a_request_deleted_after_the_claim_is_skipped(sessions, dispatcher, receiver):
    (reference,) = submit_mix(sessions, 1)
    worker = dispatcher()
    claimed = worker._claim(("webhook",))
    with sessions() as session:
        repository.delete(session, reference, "dave")
    assert worker._deliver(claimed) == "lost"
    assert receiver.posts == {}
    assert jobs(sessions) == []


def test_run_forever_delivers_as_requests_arrive_and_stops_on_request(
    sessions, engine, make_config, mailbox, receiver
):
    worker = Dispatcher(engine, config=make_config())
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        references = submit_mix(sessions, 2)
        assert wait_until(lambda: {job.status for job in jobs(sessions)} == {"delivered"})
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert set(receiver.deliveries) == expected_keys(references, "webhook")


def test_retry_only_takes_dead_jobs(sessions, dispatcher):
    submit_mix(sessions, 1)
    (job, _) = jobs(sessions)
    worker = dispatcher()
    with pytest.raises(dispatch.NotRetryable, match="pending"):
        worker.retry(job.id, "olga")
    with pytest.raises(dispatch.UnknownJob):
        worker.retry(987654, "olga")
    with sessions() as session:
        assert [j.id for j in dispatch.list_jobs(session, status="pending")] == [
            j.id for j in jobs(sessions)
        ]
        assert dispatch.list_jobs(session, status="dead") == []
        with pytest.raises(ValueError):
            dispatch.list_jobs(session, status="lost")


def test_a_lease_shorter_than_a_send_timeout_is_refused(engine, make_config):
    with pytest.raises(ValueError, match="LEASE"):
        Dispatcher(engine, config=make_config(dispatch_lease_seconds=1.0))


@given(
    attempts=st.integers(min_value=1, max_value=200),
    base=st.floats(min_value=0.1, max_value=600),
    cap=st.floats(min_value=1, max_value=86400),
    draw=st.floats(min_value=0, max_value=1),
)
def test_backoff_is_full_jitter_below_the_capped_exponential(attempts, base, cap, draw):
    delay = full_jitter_backoff(attempts, base, cap, lambda: draw).total_seconds()
    ceiling = min(cap, base * 2 ** (attempts - 1))
    assert 0 <= delay <= ceiling + 1e-6
    assert delay == pytest.approx(ceiling * draw, rel=1e-6, abs=1e-5)


def test_delivery_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SPINECARE_SMTP_RECIPIENTS", " a@x.example, ,b@x.example,a@x.example")
    monkeypatch.setenv("SPINECARE_SMTP_STARTTLS", "yes")
    monkeypatch.setenv("SPINECARE_EMAIL_INCLUDE_DETAILS", "off")
    monkeypatch.setenv("SPINECARE_WEBHOOK_SECRET", "from-env-only")
    monkeypatch.setenv("SPINECARE_DISPATCH_BACKOFF_CAP_SECONDS", "90")
    loaded = settings.load()
    assert loaded.smtp_recipients == ("a@x.example", "b@x.example")
    assert loaded.smtp_starttls is True and loaded.email_include_details is False
    assert loaded.dispatch_backoff_cap_seconds == 90.0
    assert "from-env-only" not in repr(loaded)
    monkeypatch.setenv("SPINECARE_SMTP_STARTTLS", "maybe")
    with pytest.raises(ValueError, match="SPINECARE_SMTP_STARTTLS"):
        settings.load()
    monkeypatch.setenv("SPINECARE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("SPINECARE_DISPATCH_POLL_SECONDS", "0")
    with pytest.raises(ValueError, match="SPINECARE_DISPATCH_POLL_SECONDS"):
        settings.load()


def test_safe_defaults(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SPINECARE_"):
            monkeypatch.delenv(name)
    loaded = settings.load()
    assert (loaded.smtp_host, loaded.smtp_port, loaded.smtp_starttls) == ("localhost", 1025, False)
    assert loaded.smtp_recipients == () and loaded.webhook_url == ""
    assert loaded.email_include_details is False
    assert loaded.console_origin == "http://127.0.0.1:8090"


# --- the `spinecare` command as a separate process --------------------------------------


@pytest.fixture
def cli_env(make_config, database_url, mailbox, receiver):
    config = make_config()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update(
        {
            "SPINECARE_DATABASE_URL": database_url,
            "SPINECARE_SMTP_HOST": "127.0.0.1",
            "SPINECARE_SMTP_PORT": str(mailbox.port),
            "SPINECARE_SMTP_FROM": config.smtp_from,
            "SPINECARE_SMTP_RECIPIENTS": ",".join(config.smtp_recipients),
            "SPINECARE_SMTP_TIMEOUT_SECONDS": "1",
            "SPINECARE_WEBHOOK_URL": receiver.url,
            "SPINECARE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "SPINECARE_WEBHOOK_TIMEOUT_SECONDS": "1",
            "SPINECARE_DISPATCH_POLL_SECONDS": "0.1",
            "SPINECARE_DISPATCH_LEASE_SECONDS": "3",
            "SPINECARE_DISPATCH_BACKOFF_BASE_SECONDS": "0.2",
            "SPINECARE_DISPATCH_BACKOFF_CAP_SECONDS": "1",
            "USER": "cli-tester",
        }
    )
    assert SPINECARE.exists(), f"{SPINECARE} is missing: install the project (pip install -e .)"
    return env


def test_a_dispatcher_killed_mid_run_loses_nothing_and_sends_nothing_twice(
    tmp_path, sessions, cli_env, mailbox, receiver
):
    references = submit_mix(sessions, 6)
    mailbox.delay = receiver.delay = 0.25
    log = (tmp_path / "dispatch-1.log").open("w")
    first = subprocess.Popen([str(SPINECARE), "dispatch"], env=cli_env, stdout=log, stderr=log)
    try:
        assert wait_until(lambda: len(mailbox.received) + len(receiver.posts) >= 3, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert sum(job.status == "delivered" for job in jobs(sessions)) < 12, "killed too late"

    log = (tmp_path / "dispatch-2.log").open("w")
    second = subprocess.Popen([str(SPINECARE), "dispatch"], env=cli_env, stdout=log, stderr=log)
    try:
        assert wait_until(
            lambda: {job.status for job in jobs(sessions)} == {"delivered"}, timeout=90
        ), (tmp_path / "dispatch-2.log").read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    assert second.returncode == 0, (tmp_path / "dispatch-2.log").read_text()

    assert mailbox.keys == expected_keys(references, "email")
    assert set(receiver.deliveries) == expected_keys(references, "webhook")
    assert len(mailbox.messages) == 6 and len(receiver.deliveries) == 6
    logs = (tmp_path / "dispatch-1.log").read_text() + (tmp_path / "dispatch-2.log").read_text()
    assert "outbox.delivered" in logs
    assert not any(value in logs for value in PERSONAL_VALUES)


def run_cli(env, *args, stdin=""):
    result = subprocess.run(
        [str(SPINECARE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_outbox_commands_list_and_retry_dead_jobs(sessions, cli_env, mailbox, receiver):
    references = submit_mix(sessions, 1)
    with sessions() as session:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.kind == "webhook")
            .values(status="dead", attempts=12, last_error="HTTPStatusError: HTTP 500")
        )
        session.commit()
    (email_job, webhook_job) = jobs(sessions)

    listed = run_cli(cli_env, "outbox", "list", "--status", "dead")
    assert listed.returncode == 0
    assert references[0] in listed.stdout and "HTTP 500" in listed.stdout
    assert f"\n{email_job.id} " not in listed.stdout
    everything = run_cli(cli_env, "outbox", "list")
    assert "pending" in everything.stdout and "dead" in everything.stdout

    not_dead = run_cli(cli_env, "outbox", "retry", str(email_job.id))
    assert not_dead.returncode == 1 and "only dead jobs" in not_dead.stderr
    unknown = run_cli(cli_env, "outbox", "retry", "999999")
    assert unknown.returncode == 1 and "no outbox job 999999" in unknown.stderr

    retried = run_cli(cli_env, "outbox", "retry", str(webhook_job.id), "--actor", "olga")
    assert retried.returncode == 0, retried.stderr
    assert "pending again" in retried.stdout
    with sessions() as session:
        event = repository.audit_events(session, references[0])[-1]
    assert (event.actor, event.action) == ("olga", "outbox_retry")

    once = run_cli(cli_env, "dispatch", "--once")
    assert once.returncode == 0, once.stderr
    assert "2 delivered" in once.stdout
    assert {job.status for job in jobs(sessions)} == {"delivered"}
    assert len(receiver.deliveries) == 1 and len(mailbox.messages) == 1


def test_dispatch_waits_for_the_schema_and_stops_on_sigterm(tmp_path, cli_env):
    env = dict(cli_env, SPINECARE_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    once = run_cli(env, "dispatch", "--once")
    assert once.returncode == 1 and "db upgrade" in once.stderr
    log_path = tmp_path / "dispatch.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([str(SPINECARE), "dispatch"], env=env, stderr=log)
    try:
        assert wait_until(lambda: "waiting for the database schema" in log_path.read_text())
        assert run_cli(env, "db", "upgrade").returncode == 0
        assert wait_until(lambda: "dispatch.started" in log_path.read_text())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    stderr = log_path.read_text()
    assert process.returncode == 0, stderr
    assert "dispatch.stopped" in stderr
    assert "Context impl" not in stderr


def test_dataclass_settings_cover_every_delivery_variable():
    names = {f.name for f in dataclasses.fields(settings.Settings)}
    assert {
        "smtp_host",
        "smtp_port",
        "smtp_starttls",
        "smtp_username",
        "smtp_password",
        "smtp_from",
        "smtp_recipients",
        "smtp_timeout_seconds",
        "email_include_details",
        "webhook_url",
        "webhook_secret",
        "webhook_timeout_seconds",
        "dispatch_poll_seconds",
        "dispatch_max_attempts",
        "dispatch_backoff_base_seconds",
        "dispatch_backoff_cap_seconds",
        "dispatch_lease_seconds",
    } <= names
    example = (Path(__file__).resolve().parents[3] / ".env.example").read_text()
    for name in (
        "SPINECARE_SMTP_HOST",
        "SPINECARE_SMTP_RECIPIENTS",
        "SPINECARE_EMAIL_INCLUDE_DETAILS",
        "SPINECARE_WEBHOOK_URL",
        "SPINECARE_WEBHOOK_SECRET",
        "SPINECARE_DISPATCH_MAX_ATTEMPTS",
        "SPINECARE_DISPATCH_LEASE_SECONDS",
    ):
        assert f"\n{name}=" in example
