"""`spinecare privacy purge|forget|export|rotate-key`: the retention and erasure duties.

Why a module of its own: these apply docs/privacy.md (issue 12): the retention
purge, erasing one person everywhere, gathering everything held about one person,
and re-encrypting every stored value with the newest key. spinecare.privacy does
the work and the auditing; this module parses arguments, confirms and prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from spinecare.cli.context import EXIT_ERROR, EXIT_OK, CliError, actor, confirm
from spinecare.cli.context import session as open_session
from spinecare.cli.output import json_text, write_private_file
from spinecare.settings import Settings


def _person(args: argparse.Namespace) -> Any:
    from spinecare import privacy

    return privacy.Person(
        email=args.email, phone=args.phone, reference=getattr(args, "reference", None)
    )


def _cmd_privacy_purge(args: argparse.Namespace, conf: Settings) -> int:
    from spinecare import privacy

    who = actor(args, conf)
    with open_session(conf) as session:
        result = privacy.purge(session, who, conf=conf)
    counts = ", ".join(
        f"{count} {name.replace('_', ' ')}" for name, count in result.as_dict().items()
    )
    print(f"Purged {counts}.")
    return EXIT_OK


def _cmd_privacy_forget(args: argparse.Namespace, conf: Settings) -> int:
    from spinecare import privacy

    who = actor(args, conf)
    person = _person(args)
    with open_session(conf) as session:
        found = len(privacy.requests_of(session, person))
        session.rollback()
        if not args.yes and not confirm(
            f"Erase everything held about this person ({found} request(s), their outbox jobs, "
            "text contacts and stored conversations)? This cannot be undone. [y/N] "
        ):
            print("Nothing erased.", file=sys.stderr)
            return EXIT_ERROR
        try:
            result = privacy.forget(session, person, who, conf=conf)
        except privacy.NoSuchPerson:
            raise CliError("Nothing is held under what was given; nothing erased.") from None
    counts = ", ".join(
        f"{count} {name.replace('_', ' ')}"
        for name, count in result.as_dict().items()
        if name != "opt_outs_kept"
    )
    print(f"Erased {counts}.")
    if result.opt_outs_kept:
        print(
            "Kept the text opt-out record (the practice must keep honouring STOP).",
            file=sys.stderr,
        )
    return EXIT_OK


def _cmd_privacy_export(args: argparse.Namespace, conf: Settings) -> int:
    from spinecare import privacy

    who = actor(args, conf)
    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.is_dir():
        raise CliError(f"The folder for {output} does not exist.")
    person = _person(args)
    with open_session(conf) as session:
        exported = privacy.export_person(session, person, who, conf=conf)
    content = json_text(exported.as_dict())
    if output is None:
        sys.stdout.write(content)
    else:
        write_private_file(output, content)
        print(f"Exported {len(exported.requests)} request(s) to {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_privacy_rotate_key(args: argparse.Namespace, conf: Settings) -> int:
    from spinecare import privacy

    who = actor(args, conf)
    with open_session(conf) as session:
        counts = privacy.rotate_keys(session, who, batch_size=args.batch_size, conf=conf)
    done = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
    print(f"Re-encrypted with the newest key: {done}.")
    print(
        "Every stored value now uses the first key of SPINECARE_DATA_KEYS; the others can "
        "be removed once conversations in Redis (if used) have expired.",
        file=sys.stderr,
    )
    return EXIT_OK


def add_commands(groups: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    """`privacy`; returns the parser that prints help for the bare group."""
    privacy = groups.add_parser(
        "privacy", help="retention purge, erase or export one person (docs/privacy.md)"
    )
    commands = privacy.add_subparsers(dest="command", metavar="COMMAND")
    purge = commands.add_parser(
        "purge", parents=[common], help="delete what has outlived its retention setting"
    )
    purge.set_defaults(handler=_cmd_privacy_purge)

    forget = commands.add_parser(
        "forget", parents=[common], help="erase a person everywhere (requests, conversations)"
    )
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--phone", help="e.g. +12125550182 or (212) 555-0182")
    who.add_argument("--reference", help="only this request, e.g. MRI-7KQ2-9X")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    forget.set_defaults(handler=_cmd_privacy_forget)

    export = commands.add_parser(
        "export", parents=[common], help="everything held about a person, as JSON"
    )
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--phone")
    export.add_argument("--output", metavar="FILE", help="write here (mode 600), not stdout")
    export.set_defaults(handler=_cmd_privacy_export)

    rotate = commands.add_parser(
        "rotate-key",
        parents=[common],
        help="re-encrypt every stored value with the newest data key (resumable)",
    )
    rotate.add_argument(
        "--batch-size", type=int, default=200, help="rows per transaction (default 200)"
    )
    rotate.set_defaults(handler=_cmd_privacy_rotate_key)
    return {"privacy": privacy}
