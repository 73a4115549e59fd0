"""The action server: private, secret-gated, and polite when an action breaks (points 3 and 4)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
import yaml

from spinecare import devserver, settings
from tests.security.support import NAME, env_without_secrets
from tests.support.intake import export

pytestmark = pytest.mark.integration

DOMAIN = yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text())


def action_call(action: str, sender: str, slots: dict, text: str = "yes") -> dict:
    """What Rasa posts to run `action` in a conversation whose slots are `slots`."""
    user = {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": "affirm", "confidence": 1.0}, "entities": []},
    }
    return {
        "next_action": action,
        "sender_id": sender,
        "tracker": {
            "sender_id": sender, "slots": slots,
            "latest_message": {**user["parse_data"], "text": text},
            "latest_action_name": "action_listen", "active_loop": {}, "events": [user],
            "paused": False, "followup_action": None,
        },
        "domain": DOMAIN,
        "version": "3.6.21",
    }  # fmt: skip


def consent_given(sender: str) -> dict:
    """A complete intake with consent: run, it would store a request and email consultants."""
    slots = {
        "full_name": NAME, "first_name": "Maria", "last_name": "Quixley", "adult": True,
        "has_mri": True, "mri_taken": "2026-08-01", "mri_older_than_two_years": False,
        "mri_region": "lumbar", "symptoms": "pain", "symptom_entities": [],
        "symptom_duration": "3 months", "treatments_tried": ["physical_therapy"],
        "phone": "+12125550147", "email": "maria@example.org", "zip_code": "10001",
        "state": "NY", "contact_method": "text", "best_time": "morning",
        "summary_confirmed": True, "consent": "yes", "submission_key": f"key-{sender}",
        "requested_slot": "consent",
    }  # fmt: skip
    call = action_call("validate_mri_review_form", sender, slots)
    call["tracker"]["active_loop"] = {"name": "mri_review_form"}
    call["tracker"]["events"].append({"event": "slot", "name": "consent", "value": "yes"})
    return call


def url(stack, path: str = "/webhook") -> str:
    return f"http://{stack.conf.actions_host}:{stack.conf.actions_port}{path}"


def secret(stack) -> dict[str, str]:
    return {devserver.ACTION_SECRET_HEADER: stack.action_server_secret}


@pytest.mark.parametrize(
    "headers",
    [{}, {devserver.ACTION_SECRET_HEADER: "guess"}, {"Authorization": "Bearer guess"}],
    ids=["none", "wrong", "other-header"],
)
def test_without_the_shared_secret_nothing_runs(secure, rest_client, headers):
    sender = f"forged-{uuid.uuid4().hex[:8]}"
    response = rest_client.post(url(secure), json=consent_given(sender), headers=headers)
    assert response.status_code == 401
    assert "Quixley" not in response.text
    assert [r for r in export(secure.conf.database_url) if r["conversation_id"] == sender] == []
    assert rest_client.get(url(secure, "/actions"), headers=headers).status_code == 401


def test_the_health_check_is_all_that_is_open(secure, rest_client):
    assert rest_client.get(url(secure, "/health")).status_code == 200
    assert rest_client.get(url(secure, "/actions"), headers=secret(secure)).status_code == 200


def test_with_the_secret_a_replayed_call_still_stores_one_request(secure, rest_client):
    sender = f"replay-{uuid.uuid4().hex[:8]}"
    call = consent_given(sender)
    for _ in range(2):
        assert rest_client.post(url(secure), json=call, headers=secret(secure)).status_code == 200
    rows = [r for r in export(secure.conf.database_url) if r["conversation_id"] == sender]
    assert len(rows) == 1


def test_only_json_is_accepted(secure, rest_client):
    body = json.dumps(action_call("action_offer_human", "ct", {}))
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        response = rest_client.post(
            url(secure), content=body, headers={**secret(secure), "Content-Type": content_type}
        )
        assert response.status_code == 415


def test_a_crashing_form_validation_asks_again_and_echoes_nothing(secure, rest_client):
    # failed_attempts must be a mapping; an integer makes the validator raise TypeError.
    slots = {"requested_slot": "phone", "phone": "+12125550147", "full_name": NAME,
             "failed_attempts": 7}  # fmt: skip
    call = action_call("validate_mri_review_form", f"crash-{uuid.uuid4().hex[:8]}", slots)
    call["tracker"]["active_loop"] = {"name": "mri_review_form"}
    # the answer the form just took from the message, which rasa-sdk then validates
    call["tracker"]["events"].append({"event": "slot", "name": "phone", "value": "+12125550147"})
    response = rest_client.post(url(secure), json=call, headers=secret(secure))
    assert response.status_code == 200
    body = response.json()
    assert body["events"] == [
        {"event": "slot", "timestamp": None, "name": "phone", "value": None},
        {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "phone"},
    ]
    assert "went wrong on our side" in body["responses"][0]["text"]
    assert "Quixley" not in response.text and "5550147" not in response.text


def test_a_malformed_call_gets_a_plain_error_without_the_tracker(secure, rest_client):
    call = action_call("action_answer_question", "bad", {"requested_slot": None})
    call["tracker"]["slots"] = "Maria Quixley"  # not a mapping: rasa-sdk itself fails
    response = rest_client.post(url(secure), json=call, headers=secret(secure))
    assert response.status_code in (200, 400)
    assert "Quixley" not in response.text


def test_the_action_server_refuses_a_public_address_without_a_configured_secret(tmp_path):
    env = {**env_without_secrets(), "SANIC_HOST": "0.0.0.0",  # noqa: S104
           "PYTHONPATH": str(settings.PROJECT_ROOT)}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "spinecare.rasa_entry", "run", "actions", "--actions", "actions",
         "--port", str(devserver.free_port())],
        cwd=settings.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SPINECARE_ACTION_SERVER_SECRET must be set" in result.stdout + result.stderr
