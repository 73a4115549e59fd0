"""`spinecare db upgrade`: database maintenance.

Why a module of its own: it is the one command that runs before the schema is
current, so it opens no session through spinecare.cli.context and needs no actor.
"""

from __future__ import annotations

import argparse
from typing import Any

from spinecare.cli.context import EXIT_OK
from spinecare.settings import Settings
from spinecare.storage import schema


def _cmd_db_upgrade(_args: argparse.Namespace, conf: Settings) -> int:
    revision = schema.migrate(conf.database_url, conf)
    print(f"The database is at revision {revision} (the newest).")
    return EXIT_OK


def add_commands(groups: Any) -> dict[str, Any]:
    """`db`; returns the parser that prints help for the bare group."""
    database = groups.add_parser("db", help="database maintenance")
    db_commands = database.add_subparsers(dest="command", metavar="COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations up to the newest")
    upgrade.set_defaults(handler=_cmd_db_upgrade)
    return {"db": database}
