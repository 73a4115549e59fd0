"""`spinecare`: the practice's command line for MRI review requests.

Why a CLI: consultants and operators need to list, read, export, close and delete
requests (HIPAA's export and deletion on request) without database tools, and
every one of those actions must land in the audit trail with a name attached.
The actor is `--actor`, else $SPINECARE_ACTOR, else $USER.

Output is plain text: control characters in stored text are shown escaped, so a
crafted name cannot move the cursor or recolour the terminal, and nothing is ever
rendered as HTML. CSV exports neutralise cells a spreadsheet would run as a
formula. Errors are one line on stderr and exit code 1, never a traceback (unless
--debug asks for one): an exception message may quote a row.

`spinecare dispatch` runs the outbox dispatcher (the long-running service that
emails and posts new requests to the consultants); `spinecare outbox list|retry`
lets an operator see and re-queue dead-lettered notifications.

`spinecare users add|list|disable|enable|set-password` manages who may sign in to
the consultants' web console. A password comes from a prompt or one line of
stdin (--password-stdin), never from an argument, where `ps` and shell history
would show it.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import getpass
import io
import json
import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from spinecare import settings
from spinecare.console import accounts
from spinecare.storage import db, repository, schema
from spinecare.storage.models import MriReviewRequest

EXIT_OK = 0
EXIT_ERROR = 1


class CliError(Exception):
    """A problem to report in one line, without a traceback."""


# --- output helpers -----------------------------------------------------------------


def _plain(value: object, *, keep_newlines: bool = False) -> str:
    """Text safe to print to a terminal: control and format characters escaped."""
    out = []
    for ch in "" if value is None else str(value):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def _escape(ch: str) -> str:
    """A \\uXXXX escape, as a surrogate pair above U+FFFF so it is also valid JSON."""
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _describe(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would treat as a formula gets a leading quote.

    E.164 phone numbers ("+12125550182") are left alone: they start with "+" but a
    spreadsheet only reads them as a number, and a consultant needs them intact.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = _plain(value, keep_newlines=True)
    if text[:1] in ("=", "+", "-", "@") and not _is_e164(text):
        return "'" + text
    return text


def _json_text(rows: list[dict[str, Any]]) -> str:
    """JSON with every control or format character escaped, not only the ones JSON must.

    Inside JSON strings "\\u009b" and the raw character mean the same, so the data is
    unchanged, but a terminal showing the export cannot be steered by it.
    """
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    return _plain(text, keep_newlines=True) + "\n"


def _is_e164(text: str) -> bool:
    return text.startswith("+") and text[1:].isdigit() and 8 <= len(text) <= 16


def _write_private_file(path: Path, content: str) -> None:
    """Write an export readable by its owner only: it holds personal health data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)


# --- context ------------------------------------------------------------------------


def _actor(args: argparse.Namespace) -> str:
    actor = (getattr(args, "actor", None) or settings.load().audit_actor).strip()
    if not actor:
        raise CliError("Give --actor NAME: every access to requests is recorded with a name.")
    return actor


def _session(url: str):
    """A session on a database whose schema is current (else a clear CliError)."""
    current = schema.current_revision(url)
    head = schema.head_revision()
    if current is None:
        raise CliError("The database has no tables yet. Run `spinecare db upgrade` first.")
    if current != head:
        raise CliError(
            f"The database schema is at revision {current}; this version needs {head}. "
            "Run `spinecare db upgrade`."
        )
    return db.make_session_factory(db.make_engine(url))()


# --- commands -----------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        requests = repository.list_requests(
            session, status=args.status, limit=args.limit, actor=actor
        )
        if not requests:
            print("No requests.")
            return EXIT_OK
        rows = [
            [
                _plain(request.reference),
                _when(request.created_at),
                _plain(request.status),
                _shorten(_plain(f"{request.first_name} {request.last_name}"), 32),
                _plain(request.state),
            ]
            for request in requests
        ]
    print(_table(["REFERENCE", "CREATED (UTC)", "STATUS", "NAME", "STATE"], rows))
    return EXIT_OK


# The CLI leaves out the long consent text and the internal submission key.
_SHOW_LABELS = tuple(
    (name, label)
    for name, label in repository.FIELD_LABELS
    if name not in {"consent_text", "submission_key"}
)


def _format_request(request: MriReviewRequest) -> str:
    width = max(len(label) for _, label in _SHOW_LABELS) + 1
    lines = []
    for name, label in _SHOW_LABELS:
        value = getattr(request, name)
        if name == "mri_taken" and value is not None:
            value = value.strftime("%Y-%m")
        text = _plain(_describe(value), keep_newlines=True)
        first, *rest = text.split("\n")
        lines.append(f"{label + ':':<{width}} {first}")
        lines.extend(" " * (width + 1) + line for line in rest)
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        request = repository.get_request(session, args.reference, actor=actor)
        print(_format_request(request))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise CliError(f"The folder for {output} does not exist.")
    with _session(url) as session:
        rows = repository.export_rows(
            session,
            actor=actor,
            detail={"format": args.format, "destination": "file" if output else "stdout"},
        )
    if args.format == "json":
        content = _json_text(rows)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(repository.EXPORT_FIELDS)
        for row in rows:
            writer.writerow([_csv_cell(row[name]) for name in repository.EXPORT_FIELDS])
        content = buffer.getvalue()
    if output is None:
        sys.stdout.write(content)
    else:
        _write_private_file(output, content)
        print(f"Exported {len(rows)} request(s) to {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_mark(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        request = repository.mark(session, args.reference, args.status, actor)
        print(f"{request.reference} is now {request.status}.")
    return EXIT_OK


def _confirm(prompt: str) -> bool:
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")


def _cmd_delete(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        reference = repository.get_request(session, args.reference).reference
        session.rollback()
        if not args.yes and not _confirm(
            f"Delete {reference} and all its personal data? This cannot be undone. [y/N] "
        ):
            print("Not deleted.", file=sys.stderr)
            return EXIT_ERROR
        repository.delete(session, reference, actor)
    print(f"Deleted {reference}.")
    return EXIT_OK


def _cmd_db_upgrade(_args: argparse.Namespace, url: str) -> int:
    revision = schema.migrate(url)
    print(f"The database is at revision {revision} (the newest).")
    return EXIT_OK


# --- console users ------------------------------------------------------------------


def _new_password(args: argparse.Namespace) -> str:
    """The new password: one line of stdin with --password-stdin, else asked twice."""
    if args.password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not password:
            raise CliError("No password on standard input.")
        return password
    if not sys.stdin.isatty():
        raise CliError("No terminal to ask for the password on: use --password-stdin.")
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Repeat the password: "):
        raise CliError("The two passwords differ; nothing changed.")
    return password


def _account(action, *args: Any) -> Any:
    try:
        return action(*args)
    except accounts.AccountError as exc:
        raise CliError(str(exc)) from None


def _cmd_users_add(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    username = _account(accounts.check_username, args.username)
    password = _new_password(args)
    _account(accounts.check_password, password)
    with _session(url) as session:
        user = _account(accounts.add_user, session, username, password)
        repository.record_audit(session, actor, "user_add", None, {"username": user.username})
        session.commit()
    print(f"Added {user.username}; they can sign in to the console now.")
    return EXIT_OK


def _cmd_users_list(_args: argparse.Namespace, url: str) -> int:
    with _session(url) as session:
        users = accounts.list_users(session)
    if not users:
        print("No users. Add one with `spinecare users add NAME`.")
        return EXIT_OK
    rows = [
        [_plain(user.username), _when(user.created_at), "disabled" if user.disabled else "active"]
        for user in users
    ]
    print(_table(["USERNAME", "CREATED (UTC)", "STATUS"], rows))
    return EXIT_OK


def _cmd_users_disable(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        user = _account(accounts.set_disabled, session, args.username, True)
        repository.record_audit(session, actor, "user_disable", None, {"username": user.username})
        session.commit()
    print(f"Disabled {user.username}; their console sessions have ended.")
    return EXIT_OK


def _cmd_users_enable(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    with _session(url) as session:
        user = _account(accounts.set_disabled, session, args.username, False)
        repository.record_audit(session, actor, "user_enable", None, {"username": user.username})
        session.commit()
    print(f"Enabled {user.username}.")
    return EXIT_OK


def _cmd_users_set_password(args: argparse.Namespace, url: str) -> int:
    actor = _actor(args)
    password = _new_password(args)
    _account(accounts.check_password, password)
    with _session(url) as session:
        user = _account(accounts.set_password, session, args.username, password)
        repository.record_audit(session, actor, "user_password", None, {"username": user.username})
        session.commit()
    print(f"Changed the password of {user.username}; their console sessions have ended.")
    return EXIT_OK


# --- delivery (outbox dispatcher) ---------------------------------------------------


def _configure_logging() -> None:
    logging.basicConfig(
        level=settings.load().log_level.upper(), stream=sys.stderr, format="%(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _cmd_dispatch(args: argparse.Namespace, url: str) -> int:
    from spinecare.delivery.dispatcher import Dispatcher, install_signal_handlers

    _configure_logging()
    config = dataclasses.replace(settings.load(), database_url=url)
    if args.once:
        _session(url).close()
        with Dispatcher(config=config) as dispatcher:
            result = dispatcher.run_once()
        print(
            f"Claimed {result.claimed}: {result.delivered} delivered, {result.failed} to retry, "
            f"{result.dead} dead."
        )
        return EXIT_OK
    stop = threading.Event()
    install_signal_handlers(stop)
    waiting_said = False
    while not stop.is_set() and not schema.is_up_to_date(url):
        if not waiting_said:
            print(
                "spinecare: waiting for the database schema (run `spinecare db upgrade`).",
                file=sys.stderr,
            )
            waiting_said = True
        stop.wait(config.dispatch_poll_seconds)
    with Dispatcher(config=config) as dispatcher:
        dispatcher.run_forever(stop)
    return EXIT_OK


def _cmd_outbox_list(args: argparse.Namespace, url: str) -> int:
    from spinecare.delivery.dispatcher import list_jobs

    with _session(url) as session:
        jobs = list_jobs(session, status=args.status, limit=args.limit)
        if not jobs:
            print("No outbox jobs.")
            return EXIT_OK
        rows = [
            [
                str(job.id),
                _plain(job.kind),
                _plain(job.request_reference),
                _plain(job.status),
                str(job.attempts),
                _when(job.delivered_at if job.status == "delivered" else job.next_attempt_at),
                _shorten(_plain(job.last_error or "-"), 60),
            ]
            for job in jobs
        ]
    headers = ["ID", "KIND", "REFERENCE", "STATUS", "ATTEMPTS", "NEXT/DONE (UTC)", "LAST ERROR"]
    print(_table(headers, rows))
    return EXIT_OK


def _cmd_outbox_retry(args: argparse.Namespace, url: str) -> int:
    from spinecare.delivery.dispatcher import NotRetryable, UnknownJob, retry_job

    actor = _actor(args)
    with _session(url) as session:
        try:
            job = retry_job(session, args.job_id, actor)
        except (UnknownJob, NotRetryable) as exc:
            raise CliError(f"{exc}.") from None
        print(f"Job {job.id} ({job.kind} for {job.request_reference}) is pending again.")
    return EXIT_OK


def _add_delivery_commands(groups: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
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
    listing.add_argument("--limit", type=_positive_int, help="at most this many")
    listing.set_defaults(handler=_cmd_outbox_list)
    retry = outbox_commands.add_parser(
        "retry", parents=[common], help="put a dead job back in the queue (audited)"
    )
    retry.add_argument("job_id", type=_positive_int, metavar="JOB_ID")
    retry.set_defaults(handler=_cmd_outbox_retry)
    return {"outbox": outbox}


# --- parser -------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    actor_help = "who is doing this, for the audit trail (default: $SPINECARE_ACTOR or $USER)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--actor", default=argparse.SUPPRESS, help=actor_help)

    parser = argparse.ArgumentParser(
        prog="spinecare", description="Manage MRI review requests of the SpineCare assistant."
    )
    parser.add_argument("--actor", default=None, help=actor_help)
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    groups = parser.add_subparsers(dest="group", metavar="{requests,db,users,dispatch,outbox}")

    requests = groups.add_parser("requests", help="list, show, export, mark or delete requests")
    commands = requests.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser("list", parents=[common], help="requests, newest first")
    listing.add_argument("--status", choices=repository.STATUSES, help="only this status")
    listing.add_argument("--limit", type=_positive_int, help="at most this many")
    listing.set_defaults(handler=_cmd_list)

    show = commands.add_parser("show", parents=[common], help="every field of one request")
    show.add_argument("reference", help="e.g. MRI-7KQ2-9X")
    show.set_defaults(handler=_cmd_show)

    export = commands.add_parser("export", parents=[common], help="all requests as JSON or CSV")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--output", metavar="FILE", help="write here (mode 600), not stdout")
    export.set_defaults(handler=_cmd_export)

    marking = commands.add_parser("mark", parents=[common], help="set a request's status")
    marking.add_argument("reference")
    marking.add_argument("status", choices=("contacted", "closed", "new"))
    marking.set_defaults(handler=_cmd_mark)

    removal = commands.add_parser("delete", parents=[common], help="delete a request's data")
    removal.add_argument("reference")
    removal.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    removal.set_defaults(handler=_cmd_delete)

    database = groups.add_parser("db", help="database maintenance")
    db_commands = database.add_subparsers(dest="command", metavar="COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations up to the newest")
    upgrade.set_defaults(handler=_cmd_db_upgrade)

    users = groups.add_parser("users", help="who may sign in to the consultants' web console")
    user_commands = users.add_subparsers(dest="command", metavar="COMMAND")
    stdin_help = "read the password from one line of standard input instead of asking"
    adding = user_commands.add_parser("add", parents=[common], help="add a console user")
    adding.add_argument("username")
    adding.add_argument("--password-stdin", action="store_true", help=stdin_help)
    adding.set_defaults(handler=_cmd_users_add)
    user_list = user_commands.add_parser("list", help="every console user and whether enabled")
    user_list.set_defaults(handler=_cmd_users_list)
    disabling = user_commands.add_parser(
        "disable", parents=[common], help="stop a user signing in; ends their sessions"
    )
    disabling.add_argument("username")
    disabling.set_defaults(handler=_cmd_users_disable)
    enabling = user_commands.add_parser("enable", parents=[common], help="re-enable a user")
    enabling.add_argument("username")
    enabling.set_defaults(handler=_cmd_users_enable)
    password = user_commands.add_parser(
        "set-password", parents=[common], help="replace a user's password; ends their sessions"
    )
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help=stdin_help)
    password.set_defaults(handler=_cmd_users_set_password)

    delivery = _add_delivery_commands(groups, common)
    parser.set_defaults(
        _subparsers={"requests": requests, "db": database, "users": users, **delivery}
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        (args._subparsers.get(args.group) or parser).print_help(sys.stderr)
        return 2
    try:
        return handler(args, settings.load().database_url)
    except repository.UnknownReference as exc:
        print(f"spinecare: no request with reference {_plain(exc.reference)}.", file=sys.stderr)
    except CliError as exc:
        print(f"spinecare: {exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(
            f"spinecare: database error ({type(exc).__name__}). Check SPINECARE_DATABASE_URL "
            "and that `spinecare db upgrade` has run.",
            file=sys.stderr,
        )
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except KeyboardInterrupt:
        print("spinecare: interrupted.", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:
        print(f"spinecare: {type(exc).__name__}: {_plain(exc)}", file=sys.stderr)
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"spinecare: unexpected error ({type(exc).__name__}); run with --debug for details.",
            file=sys.stderr,
        )
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
