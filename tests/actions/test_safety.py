"""The emergency advice, run on a tracker built in the test (no model needed)."""

from __future__ import annotations

from actions.safety import EMERGENCY_ADVICE, SPANISH_EMERGENCY_ADVICE, ActionHandleRedFlag
from tests.support.forms import run_form


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


def test_an_emergency_written_in_english_gets_it_once_in_english():
    turn = emergency("I can't pee since yesterday and my groin is numb")
    assert EMERGENCY_ADVICE in turn.texts
    assert SPANISH_EMERGENCY_ADVICE not in turn.texts
