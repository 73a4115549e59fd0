"""The outbox dispatcher: claims due jobs, sends them, records the outcome.

Why claims are leases: a job is claimed by pushing its `next_attempt_at` forward
by the lease (SPINECARE_DISPATCH_LEASE_SECONDS) and counting the attempt, in a
short transaction committed before anything is sent. Sending then happens with no
transaction or row lock open, so a slow relay never holds the database, and a
dispatcher killed mid-send loses nothing: once the lease runs out the job is due
again and any dispatcher picks it up. On PostgreSQL the claim selects with
`FOR UPDATE SKIP LOCKED`, so concurrent dispatchers pass over each other's rows
instead of waiting; on SQLite it is a conditional UPDATE (still pending, still
due) whose row count says whether this dispatcher won.

Why outcomes are recorded only if the lease still matches: a dispatcher that
stalled past its lease may find the job reclaimed by another; its late result
must not overwrite the other's, so the final UPDATE requires the
`next_attempt_at` it set when claiming.

Delivery is at least once. A crash between a successful send and the UPDATE
that marks it delivered leads to a second send after the lease; every send
carries the job's idempotency key so receivers drop the repeat.

Failures are retried with exponential backoff and full jitter (a random delay
between 0 and min(cap, base * 2^(attempts-1))), which spreads retries of many
jobs after an outage, and after SPINECARE_DISPATCH_MAX_ATTEMPTS the job is
`dead` with a `last_error` holding the error class and a short message that
names no person. `retry()` puts a dead job back (audited), through
`spinecare.delivery.outbox.retry_job`, which the CLI and the console share.

A kind whose destination is not configured (no SMTP recipients, no webhook URL
or secret) is not claimed at all: its jobs stay pending, untouched, until the
dispatcher runs with the setting, and the dispatcher says so once.

One file of about 410 lines on purpose: claiming, sending and recording an outcome
rely on one lease (the rules above), and splitting the loop would scatter them; the
operator operations already live in `spinecare.delivery.outbox` and the senders in
`email.py` and `webhook.py`.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from spinecare import settings
from spinecare.delivery.common import DeliveryFailed, Job, Sender
from spinecare.delivery.email import EmailSender

# The operator operations live in spinecare.delivery.outbox; re-exported for callers
# that look them up here (the console finds `retry_job` and `NotRetryable` by name).
from spinecare.delivery.outbox import NotRetryable as NotRetryable
from spinecare.delivery.outbox import UnknownJob as UnknownJob
from spinecare.delivery.outbox import list_jobs as list_jobs
from spinecare.delivery.outbox import retry_job as retry_job
from spinecare.delivery.webhook import WebhookSender
from spinecare.events import log_event
from spinecare.storage import db
from spinecare.storage.models import OutboxJob, PatientRequest, utcnow

logger = logging.getLogger("spinecare.delivery")

LAST_ERROR_MAX_CHARS = 200
# Who the audit trail names for the dispatcher's daily privacy purge.
PURGE_ACTOR = "dispatcher"
# Jobs one run_once() handles at most, so run_forever() checks for a stop regularly.
MAX_JOBS_PER_RUN = 100
# Due jobs a SQLite claim tries before concluding that others took them all.
_SQLITE_CANDIDATES = 5


@dataclass
class DispatchResult:
    """What one run_once() did; `claimed == 0` means nothing was due."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    lost: int = 0


def default_senders(config: settings.Settings) -> dict[str, Sender]:
    return {"email": EmailSender(config), "webhook": WebhookSender(config)}


def full_jitter_backoff(
    attempts: int, base: float, cap: float, rng: Callable[[], float] = random.random
) -> timedelta:
    """Delay before retrying after `attempts` failures: uniform in [0, min(cap, base*2^(n-1))]."""
    exponent = min(max(attempts - 1, 0), 62)
    ceiling = min(cap, base * (2**exponent))
    return timedelta(seconds=ceiling * rng())


def _short_error(exc: BaseException) -> tuple[str, str]:
    """(error class, text for last_error): sender messages are trusted, others are not."""
    if isinstance(exc, DeliveryFailed):
        error_type = exc.error_type
        text = f"{error_type}: {exc}"
    else:
        error_type = type(exc).__name__
        text = error_type
    return error_type, text[:LAST_ERROR_MAX_CHARS]


class Dispatcher:
    """Delivers outbox jobs; safe to run in several processes against one database."""

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        config: settings.Settings,
        senders: Mapping[str, Sender] | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self._own_engine = engine is None
        timeout = config.db_connect_timeout_seconds
        self.engine = (
            engine
            if engine is not None
            else db.make_engine(config.database_url, connect_timeout_seconds=timeout)
        )
        self._sessions = db.make_session_factory(self.engine)
        self.senders = dict(senders) if senders is not None else default_senders(self.config)
        self._clock = clock
        self._rng = rng
        self._reported_problems: dict[str, str] = {}
        self._last_purge: float | None = None
        slowest = max(self.config.smtp_timeout_seconds, self.config.webhook_timeout_seconds)
        if self.config.dispatch_lease_seconds <= slowest:
            raise ValueError(
                "SPINECARE_DISPATCH_LEASE_SECONDS must be longer than the SMTP and webhook "
                "timeouts, or a slow send could be claimed and sent twice"
            )
        if self.config.dispatch_max_attempts < 1:
            raise ValueError("SPINECARE_DISPATCH_MAX_ATTEMPTS must be at least 1")

    def close(self) -> None:
        if self._own_engine:
            self.engine.dispose()

    def __enter__(self) -> Dispatcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- running ---------------------------------------------------------------------

    def backoff(self, attempts: int) -> timedelta:
        return full_jitter_backoff(
            attempts,
            self.config.dispatch_backoff_base_seconds,
            self.config.dispatch_backoff_cap_seconds,
            self._rng,
        )

    def ready_kinds(self) -> tuple[str, ...]:
        """Kinds whose sender is configured; reports each missing destination once."""
        ready = []
        for kind, sender in self.senders.items():
            problem = sender.problem()
            if problem is None:
                self._reported_problems.pop(kind, None)
                ready.append(kind)
            elif self._reported_problems.get(kind) != problem:
                self._reported_problems[kind] = problem
                logger.warning(
                    "%s jobs stay pending until this is fixed: %s", kind, problem.replace("\n", " ")
                )
                log_event(
                    "outbox.destination_missing",
                    kind=kind,
                    count=self._waiting(kind),
                    status="pending",
                )
        return tuple(ready)

    def run_once(self, stop_event: threading.Event | None = None) -> DispatchResult:
        """Deliver the jobs due when it starts, one by one, until none is left (or a stop).

        A job that fails here is not tried again in the same run, however short its
        jittered delay: it waits for a later run.
        """
        result = DispatchResult()
        kinds = self.ready_kinds()
        if not kinds:
            return result
        due_by = self._clock()
        while result.claimed < MAX_JOBS_PER_RUN:
            if stop_event is not None and stop_event.is_set():
                break
            job = self._claim(kinds, due_by)
            if job is None:
                break
            result.claimed += 1
            outcome = self._deliver(job)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def run_forever(self, stop_event: threading.Event) -> None:
        """Poll every SPINECARE_DISPATCH_POLL_SECONDS until `stop_event` is set.

        A stop lets the job being sent finish and be recorded. Database errors are
        logged and retried at the next poll, so a database restart does not end the
        dispatcher.
        """
        log_event("dispatch.started", status="running")
        while not stop_event.is_set():
            try:
                self.maybe_purge()
                result = self.run_once(stop_event)
            except SQLAlchemyError as exc:
                log_event("dispatch.error", error_type=type(exc).__name__)
                result = DispatchResult()
            if result.claimed < MAX_JOBS_PER_RUN:
                stop_event.wait(self.config.dispatch_poll_seconds)
        log_event("dispatch.stopped", status="stopped")

    def maybe_purge(self) -> bool:
        """Run the privacy purge (spinecare.privacy) if SPINECARE_PURGE_INTERVAL_HOURS passed.

        The first run is at start; returns whether a purge ran. Several dispatchers
        each purge on their own schedule, which is harmless: a purge deletes only
        what is overdue.
        """
        from spinecare import privacy

        now = time.monotonic()
        interval = self.config.purge_interval_hours * 3600
        if self._last_purge is not None and now - self._last_purge < interval:
            return False
        self._last_purge = now
        with self._sessions() as session:
            result = privacy.purge(session, PURGE_ACTOR, conf=self.config, now=self._clock())
        log_event("privacy.purged", count=sum(result.as_dict().values()))
        return True

    # --- claiming and recording --------------------------------------------------------

    def _waiting(self, kind: str) -> int:
        with self._sessions() as session:
            return session.execute(
                select(func.count())
                .select_from(OutboxJob)
                .where(OutboxJob.kind == kind, OutboxJob.status == "pending")
            ).scalar_one()

    def _claim(self, kinds: tuple[str, ...], due_by: datetime | None = None) -> Job | None:
        now = self._clock()
        due_by = now if due_by is None else due_by
        lease_until = now + timedelta(seconds=self.config.dispatch_lease_seconds)
        due = (
            select(OutboxJob.id)
            .where(
                OutboxJob.status == "pending",
                OutboxJob.next_attempt_at <= due_by,
                OutboxJob.kind.in_(kinds),
            )
            .order_by(OutboxJob.next_attempt_at, OutboxJob.id)
        )
        take = (
            update(OutboxJob)
            .values(next_attempt_at=lease_until, attempts=OutboxJob.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        with self._sessions() as session:
            try:
                job_id = None
                if self.engine.dialect.name == "postgresql":
                    job_id = session.execute(
                        due.limit(1).with_for_update(skip_locked=True)
                    ).scalar_one_or_none()
                    if job_id is not None:
                        session.execute(take.where(OutboxJob.id == job_id))
                else:
                    candidates = session.execute(due.limit(_SQLITE_CANDIDATES)).scalars().all()
                    for candidate in candidates:
                        won = session.execute(
                            take.where(
                                OutboxJob.id == candidate,
                                OutboxJob.status == "pending",
                                OutboxJob.next_attempt_at <= due_by,
                            )
                        ).rowcount
                        if won == 1:
                            job_id = candidate
                            break
                if job_id is None:
                    session.rollback()
                    return None
                row = session.execute(select(OutboxJob).where(OutboxJob.id == job_id)).scalar_one()
                job = Job(
                    id=row.id,
                    kind=row.kind,
                    reference=row.request_reference,
                    idempotency_key=row.idempotency_key,
                    event=str((row.payload or {}).get("event", "")),
                    attempts=row.attempts,
                    lease_until=lease_until,
                )
                session.commit()
                return job
            except BaseException:
                session.rollback()
                raise

    def _deliver(self, job: Job) -> str:
        with self._sessions() as session:
            request = session.execute(
                select(PatientRequest).where(PatientRequest.reference == job.reference)
            ).scalar_one_or_none()
        if request is None:
            # Deleted meanwhile; its jobs went with it (ON DELETE CASCADE).
            log_event("outbox.request_gone", job_id=job.id, kind=job.kind)
            return "lost"
        try:
            self.senders[job.kind].send(job, request)
        except Exception as exc:
            return self._record_failure(job, exc)
        return self._record_success(job)

    def _still_ours(self, job: Job) -> Any:
        return (
            update(OutboxJob)
            .where(
                OutboxJob.id == job.id,
                OutboxJob.status == "pending",
                OutboxJob.next_attempt_at == job.lease_until,
            )
            .execution_options(synchronize_session=False)
        )

    def _apply(self, job: Job, values: dict[str, Any]) -> bool:
        with self._sessions() as session:
            updated = session.execute(self._still_ours(job).values(**values)).rowcount
            session.commit()
        if updated != 1:
            log_event("outbox.lease_lost", job_id=job.id, kind=job.kind, reference=job.reference)
        return updated == 1

    def _record_success(self, job: Job) -> str:
        now = self._clock()
        self._apply(job, {"status": "delivered", "delivered_at": now, "last_error": None})
        log_event(
            "outbox.delivered",
            job_id=job.id,
            kind=job.kind,
            reference=job.reference,
            attempts=job.attempts,
            outcome="delivered",
        )
        return "delivered"

    def _record_failure(self, job: Job, exc: Exception) -> str:
        error_type, last_error = _short_error(exc)
        now = self._clock()
        if job.attempts >= self.config.dispatch_max_attempts:
            self._apply(job, {"status": "dead", "last_error": last_error})
            logger.warning(
                "outbox job %s (%s for %s) is dead after %s attempts: %s",
                job.id,
                job.kind,
                job.reference,
                job.attempts,
                last_error,
            )
            log_event(
                "outbox.dead",
                job_id=job.id,
                kind=job.kind,
                reference=job.reference,
                attempts=job.attempts,
                error_type=error_type,
                outcome="dead",
            )
            return "dead"
        self._apply(
            job, {"next_attempt_at": now + self.backoff(job.attempts), "last_error": last_error}
        )
        log_event(
            "outbox.failed",
            job_id=job.id,
            kind=job.kind,
            reference=job.reference,
            attempts=job.attempts,
            error_type=error_type,
            outcome="retry",
        )
        return "failed"

    # --- operators -----------------------------------------------------------------

    def retry(self, job_id: int, actor: str) -> OutboxJob:
        """Put dead job `job_id` back to pending, due now, with a fresh attempt count."""
        with self._sessions() as session:
            return retry_job(session, job_id, actor, now=self._clock())


def install_signal_handlers(stop_event: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop_event`: the job in flight finishes, then the loop ends."""

    def stop(_signum: int, _frame: object) -> None:
        stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
