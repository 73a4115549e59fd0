"""A retried action call stores one request: the action server gets the same call twice."""

from __future__ import annotations

import uuid

import pytest
import yaml

from spinecare import devserver, settings
from tests.support.intake import export

pytestmark = pytest.mark.integration

ANSWERS = {
    "full_name": "Jon Doe", "first_name": "Jon", "last_name": "Doe", "adult": True,
    "has_mri": True, "mri_taken": "2026-08-01", "mri_older_than_two_years": False,
    "mri_region": "lumbar", "symptoms": "pain down my left leg", "symptom_entities": [],
    "symptom_duration": "about three months", "treatments_tried": ["physical_therapy"],
    "phone": "+15551234567", "email": "jon.doe@mail.com", "zip_code": "10001", "state": "NY",
    "contact_method": "text", "best_time": "morning", "summary_confirmed": True,
}  # fmt: skip


def consent_call(sender: str) -> dict:
    """What Rasa posts when the person answers "yes" to the consent question."""
    user = {
        "event": "user",
        "text": "yes",
        "parse_data": {"intent": {"name": "affirm", "confidence": 1.0}, "entities": []},
        "input_channel": "rest",
    }
    slots = {**ANSWERS, "consent": "yes", "submission_key": f"key-{sender}"}
    return {
        "next_action": "validate_mri_review_form",
        "sender_id": sender,
        "tracker": {
            "sender_id": sender,
            "slots": {**slots, "requested_slot": "consent"},
            "latest_message": {**user["parse_data"], "text": "yes"},
            "latest_action_name": "mri_review_form",
            "active_loop": {"name": "mri_review_form"},
            "events": [user, {"event": "slot", "name": "consent", "value": "yes"}],
            "paused": False,
            "followup_action": None,
        },
        "domain": yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text()),
        "version": "3.6.21",
    }


def stored_reference(response) -> str:
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    return next(e["value"] for e in events if e.get("name") == "last_reference")


def test_the_same_consent_posted_twice_stores_one_request(assistant, http, database_url):
    sender = f"retry-{uuid.uuid4().hex[:8]}"
    url = f"http://{assistant.conf.actions_host}:{assistant.conf.actions_port}/webhook"
    # Rasa's own header: the action server runs nothing without the shared secret (issue 9).
    headers = {devserver.ACTION_SECRET_HEADER: assistant.action_server_secret}
    first = stored_reference(http.post(url, json=consent_call(sender), headers=headers))
    again = stored_reference(http.post(url, json=consent_call(sender), headers=headers))
    assert first == again
    rows = [r for r in export(database_url) if r["conversation_id"] == sender]
    assert [r["reference"] for r in rows] == [first]
