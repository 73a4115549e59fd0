"""`spinecare dispatch` and `spinecare outbox list|retry`: delivering notifications.

Why a module of its own: `dispatch` runs the outbox dispatcher (the long-running
service that emails and posts new requests to the consultants) and `outbox` lets an
operator see and re-queue dead-lettered jobs. The operations themselves live in
spinecare.delivery (`outbox.list_jobs`, `outbox.retry_job`), shared with the web
console; this module parses arguments and prints.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Any

from spinecare.cli.context import EXIT_OK, CliError, actor, positive_int
from spinecare.cli.context import session as open_session
from spinecare.cli.output import shorten, table, when
from spinecare.delivery.outbox import NotRetryable, UnknownJob, list_jobs, retry_job
from spinecare.presentation import plain
from spinecare.settings import Settings
from spinecare.storage import schema


def _configure_logging(conf: Settings) -> None:
    from spinecare import logsafety

    logsafety.install()
    logging.basicConfig(level=conf.log_level.upper(), stream=sys.stderr, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _cmd_dispatch(args: argparse.Namespace, conf: Settings) -> int:
    from spinecare.delivery.dispatcher import Dispatcher, install_signal_handlers

    _configure_logging(conf)
    if args.once:
        open_session(conf).close()
        with Dispatcher(config=conf) as dispatcher:
            result = dispatcher.run_once()
        print(
            f"Claimed {result.claimed}: {result.delivered} delivered, {result.failed} to retry, "
            f"{result.dead} dead."
        )
        return EXIT_OK
    stop = threading.Event()
    install_signal_handlers(stop)
    waiting_said = False
    while not stop.is_set() and not schema.is_up_to_date(
        conf.database_url, connect_timeout_seconds=conf.db_connect_timeout_seconds
    ):
        if not waiting_said:
            print(
                "spinecare: waiting for the database schema (run `spinecare db upgrade`).",
                file=sys.stderr,
            )
            waiting_said = True
        stop.wait(conf.dispatch_poll_seconds)
    with Dispatcher(config=conf) as dispatcher:
        dispatcher.run_forever(stop)
    return EXIT_OK


def _cmd_outbox_list(args: argparse.Namespace, conf: Settings) -> int:
    with open_session(conf) as session:
        jobs = list_jobs(session, status=args.status, limit=args.limit)
        if not jobs:
            print("No outbox jobs.")
            return EXIT_OK
        rows = [
            [
                str(job.id),
                plain(job.kind),
                plain(job.request_reference),
                plain(job.status),
                str(job.attempts),
                when(job.delivered_at if job.status == "delivered" else job.next_attempt_at),
                shorten(plain(job.last_error or "-"), 60),
            ]
            for job in jobs
        ]
    headers = ["ID", "KIND", "REFERENCE", "STATUS", "ATTEMPTS", "NEXT/DONE (UTC)", "LAST ERROR"]
    print(table(headers, rows))
    return EXIT_OK


def _cmd_outbox_retry(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        try:
            job = retry_job(session, args.job_id, who)
        except (UnknownJob, NotRetryable) as exc:
            raise CliError(f"{exc}.") from None
        print(f"Job {job.id} ({job.kind} for {job.request_reference}) is pending again.")
    return EXIT_OK


def add_commands(groups: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    """`dispatch` and `outbox`; returns the parsers that print help for a bare group."""
    dispatch = groups.add_parser(
        "dispatch", help="deliver queued notifications (email, webhook) until stopped"
    )
    dispatch.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    dispatch.set_defaults(handler=_cmd_dispatch)

    outbox = groups.add_parser("outbox", help="see and retry queued notifications")
    outbox_commands = outbox.add_subparsers(dest="command", metavar="COMMAND")
    listing = outbox_commands.add_parser("list", help="notification jobs, oldest first")
    listing.add_argument("--status", choices=("pending", "delivered", "dead"))
    listing.add_argument("--limit", type=positive_int, help="at most this many")
    listing.set_defaults(handler=_cmd_outbox_list)
    retry = outbox_commands.add_parser(
        "retry", parents=[common], help="put a dead job back in the queue (audited)"
    )
    retry.add_argument("job_id", type=positive_int, metavar="JOB_ID")
    retry.set_defaults(handler=_cmd_outbox_retry)
    return {"outbox": outbox}
