"""`spinecare requests list|show|export|mark|delete`: the requests themselves.

Why a module of its own: these are what consultants use day to day (HIPAA's
export and deletion on request among them); each reads or changes requests through
the repository or spinecare.services, which record the actor in the audit trail.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from spinecare import requests as request_fields
from spinecare import services
from spinecare.cli.context import EXIT_ERROR, EXIT_OK, CliError, actor, confirm, positive_int
from spinecare.cli.context import session as open_session
from spinecare.cli.output import json_text, shorten, table, when, write_private_file
from spinecare.presentation import csv_cell, describe, plain
from spinecare.settings import Settings
from spinecare.storage import repository
from spinecare.storage.models import PatientRequest


def _cmd_list(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        requests = repository.list_requests(
            session, status=args.status, limit=args.limit, actor=who
        )
        if not requests:
            print("No requests.")
            return EXIT_OK
        rows = [
            [
                plain(request.reference),
                when(request.created_at),
                plain(request.status),
                shorten(plain(f"{request.first_name} {request.last_name}"), 32),
                plain(request.state),
                "opted out" if request.messages_opted_out else "",
            ]
            for request in requests
        ]
    print(table(["REFERENCE", "CREATED (UTC)", "STATUS", "NAME", "STATE", "TEXTS"], rows))
    return EXIT_OK


# The declaration's CLI fields: the console's, less the long consent text and the
# internal submission key.
_SHOW_LABELS = request_fields.labels(request_fields.CLI)


def format_request(request: PatientRequest) -> str:
    """Every CLI field of one request, a label per line, continuation lines indented."""
    width = max(len(label) for _, label in _SHOW_LABELS) + 1
    lines = []
    for name, label in _SHOW_LABELS:
        text = plain(describe(name, getattr(request, name)), keep_newlines=True)
        first, *rest = text.split("\n")
        lines.append(f"{label + ':':<{width}} {first}")
        lines.extend(" " * (width + 1) + line for line in rest)
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        request = repository.get_request(session, args.reference, actor=who)
        print(format_request(request))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise CliError(f"The folder for {output} does not exist.")
    with open_session(conf) as session:
        rows = services.export(
            session,
            who,
            file_format=args.format,
            destination="file" if output else "stdout",
        )
    if args.format == "json":
        content = json_text(rows)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(repository.EXPORT_FIELDS)
        for row in rows:
            writer.writerow([csv_cell(row[name]) for name in repository.EXPORT_FIELDS])
        content = buffer.getvalue()
    if output is None:
        sys.stdout.write(content)
    else:
        write_private_file(output, content)
        print(f"Exported {len(rows)} request(s) to {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_mark(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        request = services.mark(session, args.reference, args.status, who, via="cli")
        print(f"{request.reference} is now {request.status}.")
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        reference = repository.get_request(session, args.reference).reference
        session.rollback()
        if not args.yes and not confirm(
            f"Delete {reference} and all its personal data? This cannot be undone. [y/N] "
        ):
            print("Not deleted.", file=sys.stderr)
            return EXIT_ERROR
        services.delete(session, reference, who, via="cli")
    print(f"Deleted {reference}.")
    return EXIT_OK


def add_commands(groups: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    """`requests`; returns the parser that prints help for the bare group."""
    requests = groups.add_parser("requests", help="list, show, export, mark or delete requests")
    commands = requests.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser("list", parents=[common], help="requests, newest first")
    listing.add_argument("--status", choices=repository.STATUSES, help="only this status")
    listing.add_argument("--limit", type=positive_int, help="at most this many")
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
    return {"requests": requests}
