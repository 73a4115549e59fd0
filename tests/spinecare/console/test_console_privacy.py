"""The console's privacy page (issue 12): export or forget one person, confirmed and audited.

Through the real console subprocess, like test_console_http.py, with its own database
and its own conversation (tracker) store, so erasing never touches the developer's
`var/conversations.db`.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from console_harness import USERNAME, new_client, seed_database, start_console
from sqlalchemy import select

from spinecare import privacy, settings
from spinecare.storage import messaging, repository
from spinecare.storage.models import AuditEvent

PAT_EMAIL = "Pat.Private@example.net"
PAT_PHONE = "+14155550123"
BO_EMAIL = "bo.other@example.net"
BO_PHONE = "+14155550999"
# Every spelling of Pat's identifiers that must never reach the audit trail.
PAT_TRACES = ("pat.private", "4155550123", "555-0123", "555 0123")


def _tracker_store(path) -> str:
    """A SQL conversation store shaped like Rasa's (`events`), plain JSON events."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
    return f"sqlite:///{path}"


def _add_conversation(url: str, conversation_id: str, text: str) -> None:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            (
                conversation_id,
                "user",
                time.time(),
                json.dumps({"event": "user", "text": text, "timestamp": time.time()}),
            ),
        )


@pytest.fixture(scope="module")
def tracker_url(tmp_path_factory) -> str:
    return _tracker_store(tmp_path_factory.mktemp("privacy-tracker") / "conversations.db")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, tracker_url):
    seeded = seed_database(tmp_path_factory.mktemp("privacy-db") / "console.db")
    for key in ("pat-web", "pat-call"):
        seeded.submit(key, first_name="Pat", last_name="Private", email=PAT_EMAIL, phone=PAT_PHONE)
        _add_conversation(tracker_url, f"conv-{key}", f"my back hurts ({key})")
    seeded.submit("bo", first_name="Bo", last_name="Other", email=BO_EMAIL, phone=BO_PHONE)
    _add_conversation(tracker_url, "conv-bo", "Bo's own words")
    with seeded.sessions()() as session:
        sms = messaging.contact_for_inbound(session, "sms", PAT_PHONE)
    _add_conversation(tracker_url, sms.conversation_id, "texted in by Pat")
    return seeded


@pytest.fixture(scope="module")
def console(seeded, tracker_url, tmp_path_factory):
    running = start_console(
        seeded.database_url,
        tmp_path_factory.mktemp("privacy-log") / "console.log",
        SPINECARE_TRACKER_STORE_URL=tracker_url,
    )
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-3000:]


def _privacy_audit(seeded) -> list[AuditEvent]:
    with seeded.sessions()() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.action.like("privacy_%")).order_by(AuditEvent.id)
        ).scalars()
        return list(rows)


def _exists(seeded, reference: str) -> bool:
    with seeded.sessions()() as session:
        try:
            repository.get_request(session, reference)
        except repository.UnknownReference:
            return False
        return True


def _held(seeded, tracker_url: str, **person: str) -> dict[str, int]:
    with seeded.sessions()() as session:
        exported = privacy.export_person(
            session,
            privacy.Person(**person),
            "test-check",
            conf=settings.load(),
            conversations=privacy.ConversationArchive(tracker_url),
        )
    return exported.counts()


def test_signed_out_the_privacy_page_and_its_actions_go_to_sign_in(console, seeded, tracker_url):
    before = len(_privacy_audit(seeded))
    with new_client(console) as http:
        page = http.get("/privacy")
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=%2Fprivacy"
        for path in ("/privacy/export", "/privacy/forget"):
            response = http.post(
                path, data={"email": PAT_EMAIL, "step": "confirm", "confirm": "FORGET"}
            )
            assert response.status_code == 303 and response.headers["location"] == "/login"
            assert "my back hurts" not in response.text
    assert all(_exists(seeded, seeded.references[key]) for key in ("pat-web", "pat-call"))
    assert _held(seeded, tracker_url, email=PAT_EMAIL)["conversations"] == 3
    assert [e.actor for e in _privacy_audit(seeded)[before:]] == ["test-check"]


def test_the_page_is_in_the_navigation_and_every_form_carries_the_csrf_token(console, client):
    assert 'href="/privacy"' in client.get("/requests").text
    page = client.get("/privacy")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.text.count('<form method="post"') == 3  # export, forget, sign out
    assert page.text.count(f'name="csrf_token" value="{client.token}"') == 3


def test_without_the_csrf_token_nothing_is_exported_or_erased(console, client, seeded):
    before = len(_privacy_audit(seeded))
    exported = client.post("/privacy/export", data={"email": PAT_EMAIL})
    assert exported.status_code == 403 and "attachment" not in exported.headers.get(
        "content-disposition", ""
    )
    forged = client.post(
        "/privacy/forget",
        data={"email": PAT_EMAIL, "step": "confirm", "confirm": "FORGET", "csrf_token": "x" * 43},
    )
    assert forged.status_code == 403
    assert "form was not sent from this console" in forged.text
    assert _exists(seeded, seeded.references["pat-web"])
    assert len(_privacy_audit(seeded)) == before


def test_export_downloads_the_person_and_nobody_else(console, client, seeded):
    response = client.post(
        "/privacy/export", data={"phone": "(415) 555-0123", "csrf_token": client.token}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "555" not in disposition
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    references = {row["reference"] for row in data["requests"]}
    assert references == {seeded.references["pat-web"], seeded.references["pat-call"]}
    for row in data["requests"]:
        assert row["email"] == PAT_EMAIL and row["phone"] == PAT_PHONE
        assert row["first_name"] == "Pat" and row["last_name"] == "Private"
    assert [contact["address"] for contact in data["messaging_contacts"]] == [PAT_PHONE]
    texts = [event["text"] for events in data["conversations"].values() for event in events]
    assert sorted(texts) == [
        "my back hurts (pat-call)",
        "my back hurts (pat-web)",
        "texted in by Pat",
    ]
    assert {job["reference"] for job in data["outbox_jobs"]} == references
    assert BO_EMAIL not in response.text and BO_PHONE not in response.text
    assert "Bo's own words" not in response.text

    by_email = client.post(
        "/privacy/export", data={"email": BO_EMAIL.upper(), "csrf_token": client.token}
    ).json()
    assert [row["reference"] for row in by_email["requests"]] == [seeded.references["bo"]]

    audit = _privacy_audit(seeded)[-2:]
    assert [(e.actor, e.action) for e in audit] == [(USERNAME, "privacy_export")] * 2
    assert audit[0].detail["by"] == "phone" and audit[0].detail["requests"] == 2
    assert audit[0].detail["conversations"] == 3 and audit[0].detail["via"] == "console"


def test_unknown_person_and_missing_identifier_get_a_clear_answer(console, client, seeded):
    for path in ("/privacy/export", "/privacy/forget"):
        unknown = client.post(
            path, data={"email": "nobody@example.net", "csrf_token": client.token}
        )
        assert unknown.status_code == 200, path
        assert "Nothing is held under what was given" in unknown.text
        assert "attachment" not in unknown.headers.get("content-disposition", "")
        empty = client.post(path, data={"email": " ", "csrf_token": client.token})
        two = client.post(
            path, data={"email": PAT_EMAIL, "phone": BO_PHONE, "csrf_token": client.token}
        )
        for response in (empty, two):
            assert response.status_code == 400, path
            assert "Enter one of an email, a phone number or a reference" in response.text
    assert _exists(seeded, seeded.references["pat-web"])
    assert _exists(seeded, seeded.references["bo"])


def test_forget_shows_the_counts_needs_forget_typed_then_leaves_no_trace(
    console, client, seeded, tracker_url
):
    pat = [seeded.references["pat-web"], seeded.references["pat-call"]]
    before = len(_privacy_audit(seeded))
    preview = client.post("/privacy/forget", data={"email": PAT_EMAIL, "csrf_token": client.token})
    assert preview.status_code == 200
    erase_list = preview.text.split('data-testid="would-erase"')[1].split("</ul>")[0]
    for count in ("2 requests", "4 notifications", "3 stored conversations", "1 text-messaging"):
        assert count in erase_list
    assert "Type <strong>FORGET</strong>" in preview.text
    assert f'name="csrf_token" value="{client.token}"' in preview.text
    for held in (PAT_PHONE, "555-0123", "my back hurts", "texted in"):
        assert held not in preview.text  # only what the consultant typed is shown back
    assert all(_exists(seeded, reference) for reference in pat)

    for typed in ("", "forge", "yes", pat[0]):
        refused = client.post(
            "/privacy/forget",
            data={
                "email": PAT_EMAIL,
                "step": "confirm",
                "confirm": typed,
                "csrf_token": client.token,
            },
        )
        assert refused.status_code == 400, typed
        assert "Nothing was erased. Type FORGET to confirm" in refused.text
    assert all(_exists(seeded, reference) for reference in pat)

    done = client.post(
        "/privacy/forget",
        data={
            "email": PAT_EMAIL,
            "step": "confirm",
            "confirm": "forget",
            "csrf_token": client.token,
        },
    )
    assert done.status_code == 200
    erased = done.text.split('data-testid="erased"')[1].split("</ul>")[0]
    for count in ("2 requests", "4 notifications", "3 stored conversations", "1 text-messaging"):
        assert count in erased

    assert not any(_exists(seeded, reference) for reference in pat)
    assert client.get(f"/requests/{pat[0]}").status_code == 404
    assert not any(_held(seeded, tracker_url, email=PAT_EMAIL).values())
    assert not any(_held(seeded, tracker_url, phone=PAT_PHONE).values())
    archive = privacy.ConversationArchive(tracker_url)
    assert archive.existing(["conv-pat-web", "conv-pat-call", "conv-bo"]) == {"conv-bo"}
    archive.close()
    # Another person is untouched.
    assert _exists(seeded, seeded.references["bo"])
    bo = _held(seeded, tracker_url, email=BO_EMAIL)
    assert bo["requests"] == 1 and bo["conversations"] == 1

    audit = [e for e in _privacy_audit(seeded)[before:] if e.actor == USERNAME]
    assert [e.action for e in audit] == ["privacy_lookup", "privacy_forget"]
    forgot = audit[-1].detail
    assert forgot["by"] == "email" and forgot["via"] == "console"
    assert forgot["requests"] == 2 and forgot["outbox_jobs"] == 4
    assert forgot["conversations"] == 3 and forgot["messaging_contacts"] == 1
    again = client.post("/privacy/forget", data={"email": PAT_EMAIL, "csrf_token": client.token})
    assert "Nothing is held under what was given" in again.text


def test_forget_by_reference_erases_that_request_only(console, client, seeded, tracker_url):
    keep = seeded.submit("ref-keep", first_name="Ray", email="ray@example.net")
    gone = seeded.submit("ref-gone", first_name="Ray", email="ray@example.net")
    _add_conversation(tracker_url, "conv-ref-gone", "about to be erased")
    wrong = client.post(
        "/privacy/forget",
        data={"reference": gone, "step": "confirm", "confirm": keep, "csrf_token": client.token},
    )
    assert wrong.status_code == 400 and _exists(seeded, gone)
    done = client.post(
        "/privacy/forget",
        data={
            "reference": gone.lower(),
            "step": "confirm",
            "confirm": gone.lower(),
            "csrf_token": client.token,
        },
    )
    assert done.status_code == 200 and "1 request" in done.text
    assert not _exists(seeded, gone) and _exists(seeded, keep)


def test_the_audit_trail_holds_actor_and_counts_never_the_email_or_phone(console, seeded):
    with seeded.sessions()() as session:
        rows = list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())
    console_rows = [e for e in rows if e.action.startswith("privacy_") and e.actor == USERNAME]
    assert {e.action for e in console_rows} >= {
        "privacy_export",
        "privacy_lookup",
        "privacy_forget",
    }
    for event in console_rows:
        assert set(event.detail) >= {"by", "requests", "conversations"}
        assert all(
            isinstance(value, int)
            for key, value in event.detail.items()
            if key not in ("by", "via")
        )
    for event in rows:
        stored = json.dumps(
            [event.actor, event.action, event.reference, event.detail], default=str
        ).lower()
        for trace in (*PAT_TRACES, BO_EMAIL, "4155550999", "ray@example"):
            assert trace not in stored, (event.action, trace)
