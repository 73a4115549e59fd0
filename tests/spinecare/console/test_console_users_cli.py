"""`spinecare users ...` as a subprocess: adding, listing, disabling, passwords, audit."""

from __future__ import annotations

import pytest
from console_harness import PASSWORD, cli
from sqlalchemy import select

from spinecare import settings
from spinecare.console import accounts
from spinecare.storage import db
from spinecare.storage.models import AuditEvent
from spinecare.storage.schema import migrate


@pytest.fixture
def database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    migrate(url, settings.load())
    return url


def add(url: str, username: str):
    return cli(url, "users", "add", username, "--password-stdin", stdin=PASSWORD + "\n")


def sign_in(url: str, username: str, password: str) -> accounts.SignInResult:
    engine = db.make_engine(url)
    try:
        with db.make_session_factory(engine)() as session:
            return accounts.sign_in(session, username, password, "127.0.0.1", accounts.Limits())
    finally:
        engine.dispose()


def audit(url: str) -> list[tuple[str, str, dict | None]]:
    engine = db.make_engine(url)
    try:
        with db.make_session_factory(engine)() as session:
            events = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
            return [(e.actor, e.action, e.detail) for e in events]
    finally:
        engine.dispose()


def test_add_list_disable_enable_and_their_audit_trail(database_url):
    added = cli(database_url, "users", "add", "Maria.K", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "Added maria.k" in added.stdout

    listing = cli(database_url, "users", "list")
    assert listing.returncode == 0
    assert listing.stdout.splitlines()[0].split() == ["USERNAME", "CREATED", "(UTC)", "STATUS"]
    assert "maria.k" in listing.stdout and "active" in listing.stdout
    assert sign_in(database_url, "MARIA.K", PASSWORD).user is not None

    disabled = cli(database_url, "users", "disable", "maria.k", "--actor", "admin")
    assert disabled.returncode == 0, disabled.stderr
    assert "disabled" in cli(database_url, "users", "list").stdout
    assert sign_in(database_url, "maria.k", PASSWORD).user is None

    assert cli(database_url, "users", "enable", "maria.k").returncode == 0
    assert sign_in(database_url, "maria.k", PASSWORD).user is not None

    assert audit(database_url) == [
        ("cli-admin", "user_add", {"username": "maria.k"}),
        ("admin", "user_disable", {"username": "maria.k"}),
        ("cli-admin", "user_enable", {"username": "maria.k"}),
    ]


def test_passwords_are_stored_as_argon2id_hashes_only(database_url):
    assert add(database_url, "ann").returncode == 0
    engine = db.make_engine(database_url)
    with db.make_session_factory(engine)() as session:
        stored = accounts.get_user(session, "ann").password_hash
    engine.dispose()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_set_password_replaces_the_old_one(database_url):
    add(database_url, "ann")
    new_password = "another long passphrase"
    changed = cli(
        database_url, "users", "set-password", "ann", "--password-stdin", stdin=new_password
    )
    assert changed.returncode == 0, changed.stderr
    assert sign_in(database_url, "ann", PASSWORD).user is None
    assert sign_in(database_url, "ann", new_password).user is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "ann", "--password-stdin"), "short\n", "at least 12 characters"),
        (("add", "ann", "--password-stdin"), "", "No password on standard input"),
        (("add", "-bad name", "--password-stdin"), PASSWORD, "A username is 2 to 64"),
        (("add", "ann"), PASSWORD, "use --password-stdin"),
        (("disable", "nobody"), "", "No user named nobody"),
        (("set-password", "nobody", "--password-stdin"), PASSWORD, "No user named nobody"),
    ],
)
def test_mistakes_are_one_line_errors(database_url, args, stdin, message):
    result = cli(database_url, "users", *args, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_username_is_taken_once(database_url):
    assert add(database_url, "ann").returncode == 0
    again = add(database_url, "ANN")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_users_without_a_command_shows_help_and_other_commands_still_work(database_url):
    bare = cli(database_url, "users")
    assert bare.returncode == 2 and "add" in bare.stderr and "disable" in bare.stderr
    assert cli(database_url, "requests", "list").stdout.strip() == "No requests."
    assert "users" in cli(database_url, "--help").stdout
