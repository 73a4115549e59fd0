"""REST: a bearer token, a sender, bounded bodies; no token only on loopback (issue 9, point 2)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from spinecare import devserver, keys, settings
from spinecare.training import train_if_needed
from tests.security.support import REST_TOKEN, conversation_rows, env_without_secrets

pytestmark = pytest.mark.integration


def webhook(stack) -> str:
    return f"{stack.conf.rasa_url}/webhooks/rest/webhook"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("not-the-token"),
        bearer(REST_TOKEN[:-1]),
        {"Authorization": REST_TOKEN},  # no scheme
        {"Authorization": f"Basic {REST_TOKEN}"},
        bearer(REST_TOKEN + "é"),  # not ASCII: still a plain refusal, never a 500
    ],
    ids=["missing", "forged", "truncated", "no-scheme", "basic", "non-ascii"],
)
def test_without_the_token_nothing_runs(secure, rest_client, headers):
    sender = f"intruder-{uuid.uuid4().hex[:8]}"
    response = rest_client.post(
        webhook(secure),
        json={"sender": sender, "message": "I'd like the free MRI review"},
        headers={k: v.encode() if not v.isascii() else v for k, v in headers.items()},
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert conversation_rows(secure, sender) == []


def test_with_the_token_the_conversation_runs(secure, rest_client):
    sender = f"backend-{uuid.uuid4().hex[:8]}"
    response = rest_client.post(
        webhook(secure), json={"sender": sender, "message": "hi"}, headers=bearer(REST_TOKEN)
    )
    assert response.status_code == 200
    assert "SpineCare assistant" in response.json()[0]["text"]
    assert conversation_rows(secure, sender)


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hi"},  # Rasa's RestInput would use the shared conversation "default"
        {"sender": "", "message": "hi"},
        {"sender": None, "message": "hi"},
        {"sender": ["a"], "message": "hi"},
        {"sender": "x" * 129, "message": "hi"},
        {"sender": "../../etc", "message": "hi"},
        {"sender": "ok", "message": {"text": "hi"}},
        {"sender": "ok"},
    ],
)
def test_a_sender_and_a_text_message_are_required(secure, rest_client, body):
    response = rest_client.post(webhook(secure), json=body, headers=bearer(REST_TOKEN))
    assert response.status_code == 400
    assert conversation_rows(secure, "default") == []


def test_the_channel_name_and_metadata_cannot_be_chosen_by_the_caller(secure, rest_client):
    sender = f"spoof-{uuid.uuid4().hex[:8]}"
    rest_client.post(
        webhook(secure),
        json={"sender": sender, "message": "hi", "input_channel": "socketio",
              "metadata": {"spinecare_client": {"ip_hash": "forged"}}},
        headers=bearer(REST_TOKEN),
    )  # fmt: skip
    stored = "\n".join(conversation_rows(secure, sender))
    assert '"input_channel": "rest"' in stored and "socketio" not in stored
    assert "forged" not in stored


def test_an_over_long_message_gets_a_polite_answer_and_is_not_read(secure, rest_client):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    limit = secure.conf.max_message_chars
    response = rest_client.post(
        webhook(secure),
        json={"sender": sender, "message": "b" * (limit + 1)},
        headers=bearer(REST_TOKEN),
    )
    assert response.status_code == 200
    assert f"at most {limit} characters" in response.json()[0]["text"]
    assert conversation_rows(secure, sender) == []


def test_a_two_megabyte_body_is_refused_before_it_is_read(secure, rest_client):
    sender = f"huge-{uuid.uuid4().hex[:8]}"
    body = b'{"sender": "' + sender.encode() + b'", "message": "' + b"c" * 2_000_000 + b'"}'
    response = rest_client.post(
        webhook(secure),
        content=body,
        headers={**bearer(REST_TOKEN), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert conversation_rows(secure, sender) == []
    # A body between the message limit and the cap is read, and refused politely.
    medium = {"sender": sender, "message": "c" * 30_000}
    assert rest_client.post(webhook(secure), json=medium, headers=bearer(REST_TOKEN)).json()


def test_the_rasa_server_refuses_to_start_on_a_public_address_without_a_token(tmp_path):
    """`rasa run` itself (not only make run) stops, with one sentence saying why."""
    endpoints = devserver.write_endpoints(settings.load(), tmp_path / "endpoints.yml")
    env = {**env_without_secrets(), "SPINECARE_HOST": "0.0.0.0"}  # noqa: S104
    env["SPINECARE_SESSION_SECRET"] = "a session key of more than thirty-two characters"
    command = [sys.executable, "-m", "spinecare.rasa_entry", "run",
               "--model", str(train_if_needed()), "--interface", "0.0.0.0",  # noqa: S104
               "--port", str(devserver.free_port()), "--credentials", "credentials.yml",
               "--endpoints", str(endpoints)]  # fmt: skip
    result = subprocess.run(
        command, cwd=settings.PROJECT_ROOT, env={**env, "PYTHONPATH": str(settings.PROJECT_ROOT)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "without SPINECARE_REST_TOKEN" in output and "talk as any patient" in output


def test_make_run_refuses_a_public_host_without_tokens_and_secrets(monkeypatch):
    for name in ("SPINECARE_REST_TOKEN", "SPINECARE_SESSION_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPINECARE_HOST", "192.0.2.10")
    with pytest.raises(keys.SecretError, match="SPINECARE_SESSION_SECRET must be set"):
        devserver.check_exposure(settings.load())
    monkeypatch.setenv("SPINECARE_SESSION_SECRET", "k" * 40)
    with pytest.raises(keys.SecretError, match="without SPINECARE_REST_TOKEN"):
        devserver.check_exposure(settings.load())
    monkeypatch.setenv("SPINECARE_REST_TOKEN", "t" * 40)
    devserver.check_exposure(settings.load())
