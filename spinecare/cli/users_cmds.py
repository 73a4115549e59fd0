"""`spinecare users add|list|disable|enable|set-password`: who may use the web console.

Why a module of its own: account management has its own rule, that a password
comes from a prompt or one line of stdin (--password-stdin), never from an
argument, where `ps` and shell history would show it. Every change is audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from spinecare.cli.context import EXIT_OK, CliError, actor
from spinecare.cli.context import session as open_session
from spinecare.cli.output import table, when
from spinecare.console import accounts
from spinecare.presentation import plain
from spinecare.settings import Settings
from spinecare.storage import repository


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


def _cmd_users_add(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    username = _account(accounts.check_username, args.username)
    password = _new_password(args)
    _account(accounts.check_password, password)
    with open_session(conf) as session:
        user = _account(accounts.add_user, session, username, password)
        repository.record_audit(session, who, "user_add", None, {"username": user.username})
        session.commit()
    print(f"Added {user.username}; they can sign in to the console now.")
    return EXIT_OK


def _cmd_users_list(_args: argparse.Namespace, conf: Settings) -> int:
    with open_session(conf) as session:
        users = accounts.list_users(session)
    if not users:
        print("No users. Add one with `spinecare users add NAME`.")
        return EXIT_OK
    rows = [
        [plain(user.username), when(user.created_at), "disabled" if user.disabled else "active"]
        for user in users
    ]
    print(table(["USERNAME", "CREATED (UTC)", "STATUS"], rows))
    return EXIT_OK


def _cmd_users_disable(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        user = _account(accounts.set_disabled, session, args.username, True)
        repository.record_audit(session, who, "user_disable", None, {"username": user.username})
        session.commit()
    print(f"Disabled {user.username}; their console sessions have ended.")
    return EXIT_OK


def _cmd_users_enable(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    with open_session(conf) as session:
        user = _account(accounts.set_disabled, session, args.username, False)
        repository.record_audit(session, who, "user_enable", None, {"username": user.username})
        session.commit()
    print(f"Enabled {user.username}.")
    return EXIT_OK


def _cmd_users_set_password(args: argparse.Namespace, conf: Settings) -> int:
    who = actor(args, conf)
    password = _new_password(args)
    _account(accounts.check_password, password)
    with open_session(conf) as session:
        user = _account(accounts.set_password, session, args.username, password)
        repository.record_audit(session, who, "user_password", None, {"username": user.username})
        session.commit()
    print(f"Changed the password of {user.username}; their console sessions have ended.")
    return EXIT_OK


def add_commands(groups: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    """`users`; returns the parser that prints help for the bare group."""
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
    return {"users": users}
