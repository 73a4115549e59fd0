"""The installed `spinecare` command, run as a subprocess against a temporary SQLite file."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from spinecare.intake.consent import consent_record
from spinecare.storage import db, repository
from spinecare.storage.schema import head_revision

SPINECARE = Path(sys.executable).with_name("spinecare")


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'var' / 'cli.db'}"


@pytest.fixture
def conversations_url(tmp_path):
    return f"sqlite:///{tmp_path / 'var' / 'conversations.db'}"


@pytest.fixture
def run(database_url, conversations_url):
    assert SPINECARE.exists(), f"{SPINECARE} is missing: install the project (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update(
        {
            "SPINECARE_DATABASE_URL": database_url,
            "SPINECARE_TRACKER_STORE_URL": conversations_url,
            "USER": "cli-tester",
        }
    )

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(SPINECARE), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return run


@pytest.fixture
def sessions(database_url, run):
    assert run("db", "upgrade").returncode == 0
    engine = db.make_engine(database_url)
    yield db.make_session_factory(engine)
    engine.dispose()


def submit(sessions, key: str, **overrides) -> str:
    fields = {
        "first_name": "Jon",
        "last_name": "Doe",
        "phone": "+12125550182",
        "email": "Jon.Doe@mail.com",
        "zip_code": "10001",
        "state": "NY",
        "adult": True,
        "has_mri": True,
        "mri_taken": date(2026, 8, 1),
        "mri_region": "lumbar",
        "symptoms": "Pain down my left leg,\nworse when sitting.",
        "symptom_entities": ["sciatica"],
        "symptom_duration": "about three months",
        "treatments_tried": ["physical_therapy", "injections"],
        "contact_method": "call",
        "best_time": "morning",
        "conversation_id": f"conv-{key}",
        **consent_record("socketio"),
        **overrides,
    }
    with sessions() as session:
        return repository.submit_request(session, fields, key, outbox_kinds=repository.OUTBOX_KINDS)


def audit(sessions) -> list[tuple[str, str, str | None]]:
    with sessions() as session:
        return [(e.actor, e.action, e.reference) for e in repository.audit_events(session)]


def test_db_upgrade_creates_the_schema_and_is_repeatable(run, tmp_path):
    first = run("db", "upgrade")
    assert first.returncode == 0 and f"revision {head_revision()}" in first.stdout
    assert (tmp_path / "var" / "cli.db").exists()
    assert run("db", "upgrade").returncode == 0


def test_commands_on_a_database_never_upgraded_say_what_to_do(run):
    result = run("requests", "list")
    assert result.returncode == 1
    assert "spinecare db upgrade" in result.stderr


def test_list_show_mark_delete_and_their_audit_trail(run, sessions):
    older = submit(sessions, "a", first_name="Ann", last_name="Lee", state="CA", zip_code=None)
    newer = submit(sessions, "b", first_name="<b>Bo</b>", last_name="Ray\x1b[2J")

    listing = run("requests", "list", "--actor", "alice")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["REFERENCE", "CREATED", "(UTC)", "STATUS", "NAME", "STATE", "TEXTS"]
    assert lines[2].startswith(newer) and lines[3].startswith(older)
    assert "Ann Lee" in lines[3] and "CA" in lines[3] and " new " in lines[3]
    assert "<b>Bo</b> Ray\\u001b[2J" in lines[2]
    assert "\x1b" not in listing.stdout

    shown = run("requests", "show", newer.lower())
    assert shown.returncode == 0, shown.stderr
    assert "Reference:" in shown.stdout and newer in shown.stdout
    assert "+12125550182" in shown.stdout and "Jon.Doe@mail.com" in shown.stdout
    assert "MRI taken (month):      2026-08" in shown.stdout
    assert "physical_therapy, injections" in shown.stdout
    assert "worse when sitting." in shown.stdout
    assert "Consent version:        2026-11-25.1" in shown.stdout

    marked = run("--actor", "bob", "requests", "mark", newer, "contacted")
    assert marked.returncode == 0 and "contacted" in marked.stdout
    assert "Status:                 contacted" in run("requests", "show", newer).stdout

    refused = run("requests", "delete", older, stdin="n\n")
    assert refused.returncode == 1 and "Not deleted" in refused.stderr
    confirmed = run("requests", "delete", older, "--actor", "carol", stdin="y\n")
    assert confirmed.returncode == 0 and f"Deleted {older}" in confirmed.stdout
    gone = run("requests", "show", older)
    assert gone.returncode == 1 and f"no request with reference {older}" in gone.stderr
    assert run("requests", "delete", newer, "--yes").returncode == 0
    assert run("requests", "list").stdout.strip() == "No requests."

    assert audit(sessions) == [
        ("assistant", "create", older),
        ("assistant", "create", newer),
        ("alice", "list", None),
        ("cli-tester", "view", newer),
        ("bob", "mark", newer),
        ("cli-tester", "view", newer),
        ("carol", "delete", older),
        ("cli-tester", "delete", newer),
        ("cli-tester", "list", None),
    ]


def test_export_json_and_csv(run, sessions, tmp_path):
    first = submit(sessions, "a")
    second = submit(sessions, "b", first_name='=HYPERLINK("http://x")', contact_method="text")

    as_json = run("requests", "export", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [row["reference"] for row in rows] == [first, second]
    expected_keys = [
        "reference",
        "first_name",
        "last_name",
        "phone",
        "email",
        "zip_code",
        "state",
        "adult",
        "has_mri",
        "mri_taken",
        "mri_region",
        "symptoms",
        "symptom_duration",
        "treatments_tried",
        "contact_method",
        "best_time",
        "consent",
        "consent_version",
        "channel",
        "conversation_id",
        "status",
        "created_at",
    ]
    for key in expected_keys:
        assert key in rows[0]
    assert rows[0]["phone"] == "+12125550182"
    assert rows[0]["adult"] is True
    assert rows[0]["mri_taken"] == "2026-08-01"
    assert rows[0]["treatments_tried"] == ["physical_therapy", "injections"]
    assert rows[1]["first_name"] == '=HYPERLINK("http://x")'

    output = tmp_path / "export.csv"
    as_csv = run("requests", "export", "--format", "csv", "--output", str(output))
    assert as_csv.returncode == 0 and as_csv.stdout == ""
    assert "Exported 2 request(s)" in as_csv.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    table = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"), newline="")))
    assert [row["reference"] for row in table] == [first, second]
    assert table[0]["phone"] == "+12125550182"
    assert table[0]["treatments_tried"] == "physical_therapy; injections"
    assert table[0]["symptoms"] == "Pain down my left leg,\nworse when sitting."
    assert table[0]["adult"] == "true"
    assert table[1]["first_name"] == '\'=HYPERLINK("http://x")'
    assert set(expected_keys) <= set(table[0])

    exports = [entry for entry in audit(sessions) if entry[1] == "export"]
    assert exports == [("cli-tester", "export", None)] * 2


def test_unknown_references_and_bad_usage_are_clear_errors(run, sessions):
    for args in (
        ("requests", "show", "MRI-XXXX-99"),
        ("requests", "mark", "MRI-XXXX-99", "closed"),
        ("requests", "delete", "MRI-XXXX-99", "--yes"),
    ):
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.strip() == "spinecare: no request with reference MRI-XXXX-99."
    assert run("requests", "mark", "MRI-XXXX-99", "lost").returncode == 2
    assert run("requests", "list", "--limit", "-1").returncode == 2
    assert run().returncode == 2
    assert run("requests").returncode == 2
    assert audit(sessions) == []


# --- privacy (issue 12) -------------------------------------------------------------


def store_conversation(url: str, sender_id: str, words: str, at: float) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp FLOAT, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
            (sender_id, at, json.dumps({"event": "user", "timestamp": at, "text": words})),
        )
    connection.close()


def test_privacy_export_forget_and_purge(run, sessions, conversations_url, tmp_path):
    jane = submit(
        sessions,
        "j",
        first_name="Jane",
        last_name="Quimby",
        phone="+13125550147",
        email="jane@mail.example",
    )
    jon = submit(sessions, "d")
    store_conversation(conversations_url, "conv-j", "my calf burns", time.time())
    store_conversation(conversations_url, "stale", "old words", time.time() - 48 * 3600)

    exported = run("privacy", "export", "--phone", "(312) 555-0147", "--actor", "olga")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert [row["reference"] for row in data["requests"]] == [jane]
    assert data["requests"][0]["last_name"] == "Quimby"
    assert data["conversations"]["conv-j"][0]["text"] == "my calf burns"
    output = tmp_path / "jane.json"
    assert (
        run("privacy", "export", "--email", "JANE@mail.example", "--output", str(output)).returncode
        == 0
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert json.loads(output.read_text())["requests"][0]["reference"] == jane

    refused = run("privacy", "forget", "--email", "jane@mail.example", stdin="n\n")
    assert refused.returncode == 1 and "Nothing erased" in refused.stderr
    erased = run(
        "privacy", "forget", "--email", "jane@mail.example", "--actor", "olga", stdin="y\n"
    )
    assert erased.returncode == 0, erased.stderr
    assert "Erased 1 requests, 2 outbox jobs, 1 conversations" in erased.stdout
    again = run("privacy", "forget", "--email", "jane@mail.example", "--yes")
    assert again.returncode == 1 and "Nothing is held" in again.stderr
    assert run("requests", "show", jane).returncode == 1
    assert run("requests", "show", jon).returncode == 0
    assert run("privacy", "forget").returncode == 2  # an identifier is required

    purged = run("privacy", "purge", "--actor", "cron")
    assert purged.returncode == 0, purged.stderr
    assert "1 conversations" in purged.stdout
    assert [a for a in audit(sessions) if a[1].startswith("privacy")] == [
        ("olga", "privacy_export", None),
        ("cli-tester", "privacy_export", None),
        ("olga", "privacy_forget", None),
        ("cron", "privacy_purge", None),
    ]
    with sessions() as session:
        details = [e.detail for e in repository.audit_events(session)]
    assert "Quimby" not in json.dumps(details) and "555" not in json.dumps(details)


def test_privacy_rotate_key_reports_and_is_audited(run, sessions):
    reference = submit(sessions, "r")
    rotated = run("privacy", "rotate-key", "--batch-size", "10", "--actor", "olga")
    assert rotated.returncode == 0, rotated.stderr
    # Written with the newest (here the only) key already: nothing to re-encrypt.
    assert "Re-encrypted with the newest key:" in rotated.stdout
    assert "0 mri review request" in rotated.stdout
    assert ("olga", "privacy_rotate_key", None) in audit(sessions)
    assert run("requests", "show", reference).returncode == 0
