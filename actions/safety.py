"""The safety net's replies: emergency advice at once, see-a-doctor-soon advice for urgent signs.

The red flag itself is found in NLU (addons.red_flag_detector), so it works even when
the classifier is unsure and even in the middle of the intake form; these actions
say what to do, in plain words, and stop the form without storing anything.
"""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import reset_callback
from actions.intake import reset_intake
from spinecare.events import log_event
from spinecare.safety.red_flags import load_rule_book

GENERIC_EMERGENCY_REASON = (
    "The symptoms you describe can be signs of a condition that needs emergency care."
)
GENERIC_URGENT_REASON = "What you describe is worth having checked by a doctor soon."


@lru_cache(maxsize=1)
def _rule_book():
    return load_rule_book()


UNCONFIRMED = "unconfirmed"
SAFETY_SCREEN = (
    "I want to make sure you're safe. If you have any of these right now: new trouble "
    "controlling your bladder or bowels, numbness between your legs or inner thighs, new "
    "weakness in both legs or a foot you can't lift, or fever or chills with back pain, "
    "please call 911 or go to the nearest emergency room now."
)


def _reason_codes(tracker: Tracker) -> list[str]:
    return [
        e.get("value")
        for e in (tracker.latest_message or {}).get("entities") or []
        if e.get("entity") == "red_flag_reason"
    ]


def reason_in_plain_words(tracker: Tracker, fallback: str) -> str:
    """The detector's explanation for the reason it recorded on the latest message."""
    for code in _reason_codes(tracker):
        try:
            return _rule_book().explanation(code)
        except KeyError:
            continue
    return fallback


class ActionHandleRedFlag(Action):
    """Tells the person to call 911 or go to the emergency room now, and stops any form."""

    def name(self) -> str:
        return "action_handle_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        in_form = bool((tracker.active_loop or {}).get("name"))
        log_event(
            "red_flag",
            tracker.sender_id,
            severity="screen" if _reason_codes(tracker) == [UNCONFIRMED] else "emergency",
            action="stop_form" if in_form else "advise",
        )
        if _reason_codes(tracker) == [UNCONFIRMED]:
            # The classifier alone raised it: ask about the signs rather than guess either way.
            dispatcher.utter_message(text=SAFETY_SCREEN)
        else:
            reason = reason_in_plain_words(tracker, GENERIC_EMERGENCY_REASON)
            dispatcher.utter_message(
                text=(
                    "Please call 911 or go to the nearest emergency room now. "
                    f"{reason} Don't wait for a call back from us."
                )
            )
        if in_form:
            dispatcher.utter_message(
                text="I've stopped the request we were filling in; nothing from it was saved."
            )
        return [ActiveLoop(None), *reset_intake(), *reset_callback()]


class ActionHandleUrgentSymptom(Action):
    """Advises seeing a doctor soon for urgent (not emergency) signs."""

    def name(self) -> str:
        return "action_handle_urgent_symptom"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        log_event("red_flag", tracker.sender_id, severity="urgent", action="advise")
        reason = reason_in_plain_words(tracker, GENERIC_URGENT_REASON)
        dispatcher.utter_message(text=reason)
        dispatcher.utter_message(response="utter_urgent_symptom")
        return []
