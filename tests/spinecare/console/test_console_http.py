"""The console over HTTP (httpx against the real subprocess): access, CSRF, escaping, audit."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from console_harness import (
    PASSWORD,
    USERNAME,
    XSS_NAME,
    cli,
    csrf_token,
    new_client,
    sign_in,
)
from sqlalchemy import update

from spinecare.storage.models import ConsoleSignIn, utcnow

WRONG_CREDENTIALS = "The username or password is not correct."


def test_every_page_redirects_to_sign_in_when_signed_out(console, seeded):
    reference = seeded.references["older"]
    with new_client(console) as http:
        for path in ("/", "/requests", f"/requests/{reference}", "/audit"):
            response = http.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login")
        assert http.get("/requests").headers["location"] == "/login?next=%2Frequests"
        for path in ("/export", f"/requests/{reference}/status", f"/requests/{reference}/delete"):
            response = http.post(path, data={"status": "closed", "confirm": reference})
            assert response.status_code == 303 and response.headers["location"] == "/login"
        assert "Jon" not in http.get(f"/requests/{reference}").text
    assert seeded.status(reference) == "new"


def test_sign_in_lands_on_the_list_and_sets_a_strict_http_only_cookie(console, seeded):
    with new_client(console) as http:
        response = sign_in(http)
        assert response.status_code == 303 and response.headers["location"] == "/requests"
        cookie = next(
            value
            for name, value in response.headers.multi_items()
            if name == "set-cookie" and value.startswith("spinecare_console=")
        )
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain http on loopback; https makes it Secure
        page = http.get("/requests")
        assert page.status_code == 200
        for reference in seeded.references.values():
            assert reference in page.text


def test_sign_in_returns_to_the_page_asked_for(console, seeded):
    reference = seeded.references["older"]
    with new_client(console) as http:
        first = http.get(f"/requests/{reference}")
        assert first.headers["location"] == f"/login?next=%2Frequests%2F{reference}"
        form = http.get(first.headers["location"])
        response = http.post(
            "/login",
            data={
                "csrf_token": csrf_token(form.text),
                "next": f"/requests/{reference}",
                "username": USERNAME,
                "password": PASSWORD,
            },
        )
        assert response.headers["location"] == f"/requests/{reference}"


def test_sign_in_never_redirects_off_site(console):
    with new_client(console) as http:
        form = http.get("/login")
        response = http.post(
            "/login",
            data={
                "csrf_token": csrf_token(form.text),
                "next": "//evil.example/phish",
                "username": USERNAME,
                "password": PASSWORD,
            },
        )
        assert response.headers["location"] == "/requests"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(console):
    with new_client(console) as http:
        wrong = sign_in(http, password="not the password at all")
        unknown = sign_in(http, username="nobody-here", password=PASSWORD)
        for response in (wrong, unknown):
            assert response.status_code == 401
            assert WRONG_CREDENTIALS in response.text
            assert "spinecare_console=" not in response.headers.get("set-cookie", "")
        assert http.get("/requests").status_code == 303
        assert sign_in(http).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(console, client, seeded):
    reference = seeded.references["older"]
    missing = client.post(f"/requests/{reference}/status", data={"status": "closed"})
    forged = client.post(
        f"/requests/{reference}/status", data={"status": "closed", "csrf_token": "x" * 43}
    )
    for response in (missing, forged):
        assert response.status_code == 403
        assert "form was not sent from this console" in response.text
    assert client.post("/export").status_code == 403
    deleting = client.post(f"/requests/{reference}/delete", data={"confirm": reference})
    assert deleting.status_code == 403
    assert client.post("/logout").status_code == 403
    assert seeded.status(reference) == "new"


def test_the_sign_in_form_has_its_own_csrf_token(console):
    with new_client(console) as http:
        http.get("/login")
        response = http.post("/login", data={"username": USERNAME, "password": PASSWORD})
        assert response.status_code == 403
        assert "sign-in form expired" in response.text
    with new_client(console) as other:
        token = csrf_token(other.get("/login").text)
    with new_client(console) as http:
        # A token from another browser does not match this browser's signed cookie.
        response = http.post(
            "/login", data={"csrf_token": token, "username": USERNAME, "password": PASSWORD}
        )
        assert response.status_code == 403


def test_stored_text_is_escaped_never_markup(console, client, seeded):
    reference = seeded.references["xss"]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for page in (client.get("/requests").text, client.get(f"/requests/{reference}").text):
        assert escaped in page
        assert XSS_NAME not in page
        assert "<b>Sons</b>" not in page and "&lt;b&gt;Sons&lt;/b&gt;" in page
        assert "<script" not in page


def test_security_headers_and_no_caching_of_patient_pages(console, client, seeded):
    response = client.get(f"/requests/{seeded.references['older']}")
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp and "unsafe-inline" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "same-origin"
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["x-frame-options"] == "DENY"
    assert client.get("/requests/MRI-ZZZZ-ZZ").status_code == 404
    stylesheet = client.get("/static/console.css")
    assert stylesheet.status_code == 200 and stylesheet.headers["content-type"].startswith(
        "text/css"
    )


def test_foreign_hosts_and_origins_are_refused(console, client, seeded):
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    response = client.post(
        f"/requests/{seeded.references['older']}/status",
        data={"status": "closed", "csrf_token": client.token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert seeded.status(seeded.references["older"]) == "new"


def test_status_filter_search_and_new_requests_first(console, client, seeded):
    contacted = seeded.submit("contacted-late", first_name="Zed", last_name="Later")
    client.post(
        f"/requests/{contacted}/status", data={"status": "contacted", "csrf_token": client.token}
    )
    listing = client.get("/requests").text
    assert listing.index(seeded.references["dead"]) < listing.index(contacted)
    assert listing.index(seeded.references["dead"]) < listing.index(seeded.references["older"])

    only_contacted = client.get("/requests?status=contacted").text
    assert contacted in only_contacted and seeded.references["older"] not in only_contacted

    # Names, phones and emails are encrypted: a phone or an email is found exactly (through
    # its keyed hash, in any usual spelling or case), a name not at all (docs/privacy.md).
    for term in ("(310) 555-0100", "DEE@example.org", seeded.references["older"].lower()):
        found = client.post("/requests", data={"q": term, "csrf_token": client.token})
        assert found.status_code == 200
        assert found.url.path == "/requests" and not found.url.query
        text = found.text
        expected = "dead" if "dee" in term.lower() else "older"
        assert seeded.references[expected] in text, term
        assert seeded.references["xss"] not in text, term
    nothing = client.post("/requests", data={"q": "%", "csrf_token": client.token})
    assert "No requests." in nothing.text
    for term in ("ann lee", "dee@example", "555-0100"):
        partial = client.post("/requests", data={"q": term, "csrf_token": client.token})
        assert "No requests." in partial.text, term


def test_views_exports_and_status_changes_are_audited(console, client, seeded):
    reference = seeded.references["older"]
    before = len(seeded.audit(USERNAME))
    assert client.get(f"/requests/{reference}").status_code == 200

    exported = client.post("/export", data={"csrf_token": client.token})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert reference in {row["reference"] for row in rows}
    assert any(row["first_name"] == XSS_NAME for row in rows)

    one = client.post(f"/requests/{reference}/export", data={"csrf_token": client.token})
    one_rows = list(csv.DictReader(io.StringIO(one.text.lstrip("\ufeff"))))
    assert [row["reference"] for row in one_rows] == [reference]

    marked = client.post(
        f"/requests/{reference}/status", data={"status": "contacted", "csrf_token": client.token}
    )
    assert marked.status_code == 303
    assert marked.headers["location"] == f"/requests/{reference}?notice=marked"
    assert seeded.status(reference) == "contacted"
    assert "Status changed." in client.get(marked.headers["location"]).text

    events = seeded.audit(USERNAME)[before:]
    assert (USERNAME, "view", reference) in events
    assert (USERNAME, "export", None) in events
    assert (USERNAME, "export", reference) in events
    assert (USERNAME, "mark", reference) in events

    audit_page = client.get(f"/audit?reference={reference}&actor={USERNAME}").text
    for action in ("view", "export", "mark"):
        assert f"<td>{action}</td>" in audit_page
    assert "from: new, to: contacted" in audit_page


def test_a_dead_notification_can_be_retried_and_the_retry_is_audited(console, client, seeded):
    reference = seeded.references["dead"]
    dead_id, _ = seeded.jobs(reference)["webhook"]
    pending_id, _ = seeded.jobs(reference)["email"]
    page = client.get(f"/requests/{reference}").text
    assert "HTTP 500 from &lt;webhook&gt;" in page
    assert f"/requests/{reference}/jobs/{dead_id}/retry" in page
    assert f"/jobs/{pending_id}/retry" not in page
    assert "/retry" not in client.get(f"/requests/{seeded.references['older']}").text

    other = client.post(
        f"/requests/{seeded.references['older']}/jobs/{dead_id}/retry",
        data={"csrf_token": client.token},
    )
    assert other.status_code == 404
    not_dead = client.post(
        f"/requests/{reference}/jobs/{pending_id}/retry", data={"csrf_token": client.token}
    )
    assert not_dead.headers["location"].endswith("notice=retry_not_dead")

    retried = client.post(
        f"/requests/{reference}/jobs/{dead_id}/retry", data={"csrf_token": client.token}
    )
    assert retried.status_code == 303
    assert retried.headers["location"] == f"/requests/{reference}?notice=retried"
    assert seeded.jobs(reference)["webhook"] == (dead_id, "pending")
    assert (USERNAME, "outbox_retry", reference) in seeded.audit(USERNAME)
    assert "queued to be sent again" in client.get(retried.headers["location"]).text


def test_delete_needs_the_reference_typed_and_is_audited(console, client, seeded):
    reference = seeded.submit("to-delete", first_name="Del", last_name="Me")
    confirm = client.get(f"/requests/{reference}/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    wrong = client.post(
        f"/requests/{reference}/delete", data={"confirm": "MRI-", "csrf_token": client.token}
    )
    assert wrong.status_code == 400 and seeded.status(reference) == "new"
    done = client.post(
        f"/requests/{reference}/delete",
        data={"confirm": reference.lower(), "csrf_token": client.token},
    )
    assert done.status_code == 303
    assert "deleted" in client.get(done.headers["location"]).text
    assert client.get(f"/requests/{reference}").status_code == 404
    assert (USERNAME, "delete", reference) in seeded.audit(USERNAME)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(console, seeded):
    with new_client(console) as http:
        sign_in(http)
        stolen = dict(http.cookies)
        token = csrf_token(http.get("/requests").text)
        response = http.post("/logout", data={"csrf_token": token})
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert "You are signed out." in http.get(response.headers["location"]).text
    with new_client(console) as replay:
        replay.cookies.update(stolen)
        assert replay.get("/requests").status_code == 303
    assert (USERNAME, "sign_out", None) in seeded.audit(USERNAME)


def test_an_idle_session_expires(console, seeded):
    with new_client(console) as http:
        sign_in(http)
        with seeded.sessions()() as session:
            session.execute(
                update(ConsoleSignIn).values(last_seen_at=utcnow() - timedelta(hours=2))
            )
            session.commit()
        response = http.get("/requests")
        assert response.status_code == 303
        assert "expired=1" in response.headers["location"]
        assert "without activity" in http.get(response.headers["location"]).text


def test_disabling_a_user_ends_their_sessions(console, seeded):
    result = cli(
        seeded.database_url, "users", "add", "temp-user", "--password-stdin", stdin=PASSWORD
    )
    assert result.returncode == 0, result.stderr
    with new_client(console) as http:
        assert sign_in(http, "temp-user").status_code == 303
        assert http.get("/requests").status_code == 200
        assert cli(seeded.database_url, "users", "disable", "temp-user").returncode == 0
        assert http.get("/requests").status_code == 303
        refused = sign_in(http, "temp-user")
        assert refused.status_code == 401 and WRONG_CREDENTIALS in refused.text
