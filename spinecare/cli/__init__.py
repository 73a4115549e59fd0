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

`spinecare privacy purge|forget|export` applies the retention settings, erases one
person everywhere and gathers everything held about one person (docs/privacy.md);
`spinecare privacy rotate-key` re-encrypts every stored value with the newest key.

`spinecare users add|list|disable|enable|set-password` manages who may sign in to
the consultants' web console. A password comes from a prompt or one line of
stdin (--password-stdin), never from an argument, where `ps` and shell history
would show it.

This package holds main(): the top-level parser and the one place errors become
messages and exit codes. Each group of commands is a module (requests_cmds,
db_cmds, users_cmds, outbox_cmds, privacy_cmds) that adds its own subparsers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from spinecare import settings
from spinecare.cli import db_cmds, outbox_cmds, privacy_cmds, requests_cmds, users_cmds
from spinecare.cli.context import EXIT_ERROR, EXIT_OK, CliError
from spinecare.presentation import plain
from spinecare.storage import repository

__all__ = ["EXIT_ERROR", "EXIT_OK", "CliError", "main"]


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
    groups = parser.add_subparsers(
        dest="group", metavar="{requests,db,users,dispatch,outbox,privacy}"
    )
    # The order here is the order `spinecare --help` lists the groups in.
    subparsers = {
        **requests_cmds.add_commands(groups, common),
        **db_cmds.add_commands(groups),
        **users_cmds.add_commands(groups, common),
        **outbox_cmds.add_commands(groups, common),
        **privacy_cmds.add_commands(groups, common),
    }
    parser.set_defaults(_subparsers=subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        (args._subparsers.get(args.group) or parser).print_help(sys.stderr)
        return 2
    try:
        return handler(args, settings.load())
    except repository.UnknownReference as exc:
        print(f"spinecare: no request with reference {plain(exc.reference)}.", file=sys.stderr)
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
        print(f"spinecare: {type(exc).__name__}: {plain(exc)}", file=sys.stderr)
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
