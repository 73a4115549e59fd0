"""What every `spinecare` command shares: the error type, exit codes, the actor, a session.

Why a module of its own: the command modules need these and `spinecare.cli` (the
package) imports the command modules, so they cannot live in the package itself.
"""

from __future__ import annotations

import argparse
import sys

from spinecare import bootstrap, settings

EXIT_OK = 0
EXIT_ERROR = 1


class CliError(Exception):
    """A problem to report in one line, without a traceback."""


def actor(args: argparse.Namespace, conf: settings.Settings) -> str:
    name = (getattr(args, "actor", None) or conf.audit_actor).strip()
    if not name:
        raise CliError("Give --actor NAME: every access to requests is recorded with a name.")
    return name


def session(conf: settings.Settings):
    """A session on `conf`'s database if its schema is current (else a clear CliError)."""
    try:
        return bootstrap.sessions(conf.database_url, migrate=False, conf=conf)()
    except bootstrap.SchemaNotCurrent as error:
        raise CliError(str(error)) from None


def confirm(prompt: str) -> bool:
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return value
