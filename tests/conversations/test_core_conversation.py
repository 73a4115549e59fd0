"""The core conversation over the real REST channel: greeting, goodbye, thanks, bot, redirects."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinecare.scenarios import RestConversation, load_scenarios, run_scenario

SCENARIOS = load_scenarios(Path(__file__).parent.parent / "scenarios")

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[f"{s.source}:{s.name}" for s in SCENARIOS])
def test_scenario(scenario, rasa_url, http):
    problems = run_scenario(scenario, rasa_url, http)
    assert not problems, "\n".join(problems)


def test_restart_starts_over(rasa_url, http):
    conversation = RestConversation(rasa_url, http)
    conversation.say("hi")
    reply = conversation.say("/restart")
    assert "start over" in reply.text.lower()


def test_unknown_sender_gets_no_server_error(rasa_url, http):
    response = http.post(f"{rasa_url}/webhooks/rest/webhook", json={"message": "hello"})
    assert response.status_code < 500
