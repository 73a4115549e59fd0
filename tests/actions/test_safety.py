"""The emergency and urgent advice, run on a tracker built in the test (no model needed)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import (
    EMERGENCY_ADVICE,
    PORTUGUESE_EMERGENCY_ADVICE,
    SPANISH_EMERGENCY_ADVICE,
    ActionHandleRedFlag,
    ActionHandleUrgentSymptom,
)
from tests.support.aio import run
from tests.support.forms import DOMAIN, run_form, selector


def emergency(text: str):
    return run_form(
        ActionHandleRedFlag(), requested_slot="symptoms", text=text, intent="report_red_flag"
    )


def test_an_emergency_written_in_spanish_also_gets_the_advice_in_spanish():
    turn = emergency("no siento nada entre las piernas y no puedo orinar")
    assert EMERGENCY_ADVICE in turn.texts
    assert SPANISH_EMERGENCY_ADVICE in turn.texts
    assert "911" in SPANISH_EMERGENCY_ADVICE
    assert all(m.get("safety") == "emergency" for m in turn.messages[:2])


def test_an_emergency_written_in_portuguese_also_gets_the_advice_in_portuguese():
    """The rules read Portuguese emergencies since round 10; the advice was English only."""
    turn = emergency("não consigo urinar desde ontem e não sinto nada lá embaixo")
    assert EMERGENCY_ADVICE in turn.texts
    assert PORTUGUESE_EMERGENCY_ADVICE in turn.texts
    assert SPANISH_EMERGENCY_ADVICE not in turn.texts
    assert "911" in PORTUGUESE_EMERGENCY_ADVICE


def test_an_emergency_written_in_english_gets_it_once_in_english():
    turn = emergency("I can't pee since yesterday and my groin is numb")
    assert EMERGENCY_ADVICE in turn.texts
    assert SPANISH_EMERGENCY_ADVICE not in turn.texts
    assert PORTUGUESE_EMERGENCY_ADVICE not in turn.texts


def urgent(text: str, ranking: list[tuple[str, float]], topic: str, *, in_form: bool = False):
    """ActionHandleUrgentSymptom's messages after the safety net found an urgent sign."""
    latest = {
        "text": text,
        "intent": {"name": "report_urgent_symptom", "confidence": 1.0},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": [],
        "response_selector": selector(topic, 0.75),
    }
    slots = {name: None for name in DOMAIN["slots"]}
    events = [{"event": "user", "text": text, "parse_data": latest}]
    loop = {"name": "mri_review_form"} if in_form else {}
    tracker = Tracker("urgent-test", slots, latest, events, False, None, loop, "action_listen")
    dispatcher = CollectingDispatcher()
    run(ActionHandleUrgentSymptom().run(dispatcher, tracker, DOMAIN))
    return [m.get("response") or m.get("text") for m in dispatcher.messages]


def test_a_question_asked_with_an_urgent_sign_gets_the_advice_then_its_answer():
    """Held-out set 14: "4 months of PT ... still hurting. When does surgery become the
    answer?" got only the see-a-doctor-soon advice."""
    ranking = [("report_urgent_symptom", 1.0), ("ask_surgery", 0.89), ("inform", 0.05)]
    said = urgent("still hurting after months of PT, when is surgery the answer?", ranking,
                  "ask_surgery/when_to_consider")  # fmt: skip
    assert said[1:] == ["utter_urgent_symptom", "utter_ask_surgery/when_to_consider"]
    # In the middle of a form, or with no question behind the sign, the advice alone.
    in_form = urgent("the pain wakes me every night", ranking, "ask_surgery/when_to_consider",
                     in_form=True)  # fmt: skip
    assert in_form[1:] == ["utter_urgent_symptom"]
    told = [("report_urgent_symptom", 1.0), ("inform", 0.8), ("ask_surgery", 0.1)]
    assert urgent("the pain wakes me every night", told, "ask_surgery/recovery")[1:] == [
        "utter_urgent_symptom"
    ]
