"""Running a form's validation action on a tracker built in the test, without a model.

Why: how a form reads a message (an answer, a question, a possible emergency) is the
logic patients meet most; testing it through a trained model costs minutes and hides
which part failed. This builds the tracker Rasa would send after extracting the
pending slot from the text, runs the action, and returns the slots it set and what it
said (as Dialogue's covidflow tested its forms).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from spinecare import settings
from tests.support.aio import run

DOMAIN = yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text())


@dataclass
class FormTurn:
    """What the validation action did with one message."""

    slots: dict[str, Any]
    messages: list[dict] = field(default_factory=list)

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def texts(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)


def run_form(
    action,
    *,
    requested_slot: str,
    text: str,
    intent: str = "inform",
    confidence: float = 0.99,
    slots: dict[str, Any] | None = None,
    entities: list[dict] | None = None,
    response_selector: dict | None = None,
    form: str = "mri_review_form",
    metadata: dict | None = None,
    domain: dict | None = None,
    said_before: tuple[str, ...] = (),
) -> FormTurn:
    """Run `action` as Rasa would after the person typed `text` at `requested_slot`.

    `said_before` are the person's earlier messages, oldest first, for the checks that
    read the answer before ("2740", then "yes" to "Did you mean 02740?").
    """
    values = {name: None for name in DOMAIN["slots"]}
    values.update(slots or {})
    values.update({"requested_slot": requested_slot, requested_slot: text})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "response_selector": response_selector or {},
        "metadata": metadata or {},
    }
    events = [
        *({"event": "user", "text": earlier} for earlier in said_before),
        {"event": "user", "text": text, "parse_data": latest},
        {"event": "slot", "name": requested_slot, "value": text},
    ]
    tracker = Tracker(
        "form-test", values, latest, events, False, None, {"name": form}, "action_listen"
    )
    dispatcher = CollectingDispatcher()
    result = run(action.run(dispatcher, tracker, domain or DOMAIN))
    return FormTurn(
        {e["name"]: e["value"] for e in result if e["event"] == "slot"}, dispatcher.messages
    )


def selector(topic: str, confidence: float) -> dict:
    """A ResponseSelector output choosing `topic` ("ask_surgery/recovery")."""
    return {
        "default": {
            "response": {
                "intent_response_key": topic,
                "utter_action": f"utter_{topic}",
                "confidence": confidence,
            }
        }
    }
