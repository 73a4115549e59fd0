"""The safety net's replies: emergency advice at once, the safety screen, see-a-doctor-soon advice.

The red flag itself is found in NLU (addons.red_flag_detector), so it works even when
the classifier is unsure and even in the middle of a form. A red flag the rules confirm
gets "call 911" at once and stops any form without storing anything. A possible one
(the classifier alone suspected it) gets the safety screen, a one-question form here
and the first question of the intake or call-back form there (actions/forms.py): yes
gets the emergency advice, no carries on where the conversation was.
"""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import config
from actions.answers import give_answer
from actions.forms import PatientFormValidation
from actions.resets import reset_callback, reset_intake, reset_safety_screen
from spinecare import names
from spinecare.answers import question_behind_override
from spinecare.events import log_event
from spinecare.intake import flow
from spinecare.messaging import PHONE_CHANNELS
from spinecare.safety.language import PORTUGUESE, SPANISH, emergency_language
from spinecare.safety.red_flags import load_rule_book

GENERIC_EMERGENCY_REASON = (
    "The symptoms you describe can be signs of a condition that needs emergency care."
)
GENERIC_URGENT_REASON = "What you describe is worth having checked by a doctor soon."
FORM_STOPPED = "I've stopped the request we were filling in; nothing from it was saved."
EMERGENCY_ADVICE = "Please call 911 or go to the nearest emergency room now."
# On a phone's text message the first words are what a preview shows: lead with the action.
TEXT_EMERGENCY_ADVICE = "Call 911 now, or go to the nearest emergency room."
# Given as well when the person wrote in Spanish (spinecare.safety.language).
SPANISH_EMERGENCY_ADVICE = (
    "Llame al 911 ahora o vaya a la sala de emergencias más cercana. No espere nuestra llamada."
)
PORTUGUESE_EMERGENCY_ADVICE = (
    "Ligue para o 911 agora ou vá ao pronto-socorro mais próximo. Não espere a nossa ligação."
)
# The advice again in the language of a message the red-flag rules read, beside English.
ADVICE_IN_LANGUAGE = {SPANISH: SPANISH_EMERGENCY_ADVICE, PORTUGUESE: PORTUGUESE_EMERGENCY_ADVICE}


@lru_cache(maxsize=1)
def _rule_book():
    return load_rule_book()


def _reason_codes(tracker: Tracker) -> list[str]:
    return [
        e.get("value")
        for e in (tracker.latest_message or {}).get("entities") or []
        if e.get("entity") == names.RED_FLAG_REASON
    ]


def reason_in_plain_words(tracker: Tracker, fallback: str) -> str:
    """The detector's explanation for the reason it recorded on the latest message."""
    for code in _reason_codes(tracker):
        try:
            return _rule_book().explanation(code)
        except KeyError:
            continue
    return fallback


def emergency_advice(
    dispatcher: CollectingDispatcher, tracker: Tracker, stopped_form: bool
) -> None:
    """ "Call 911 or go to the nearest emergency room now", the reason, and a stopped form."""
    reason = reason_in_plain_words(tracker, GENERIC_EMERGENCY_REASON)
    on_phone = tracker.get_latest_input_channel() in PHONE_CHANNELS
    advice = TEXT_EMERGENCY_ADVICE if on_phone else EMERGENCY_ADVICE
    # `safety` marks the reply for the text channels: no choices are added to it, and it
    # is the one reply an opted-out number still gets (emergency purposes).
    dispatcher.utter_message(
        text=f"{advice} {reason} Don't wait for a call back from us.", safety="emergency"
    )
    language = emergency_language((tracker.latest_message or {}).get("text") or "")
    if language in ADVICE_IN_LANGUAGE:
        dispatcher.utter_message(text=ADVICE_IN_LANGUAGE[language], safety="emergency")
    if stopped_form:
        dispatcher.utter_message(text=FORM_STOPPED)


class ActionHandleRedFlag(Action):
    """Tells the person to call 911 or go to the emergency room now, and stops any form."""

    def name(self) -> str:
        return "action_handle_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name")
        stopped_form = active in ("mri_review_form", "callback_form")
        log_event(
            "red_flag",
            tracker.sender_id,
            severity="emergency",
            action="stop_form" if stopped_form else "advise",
        )
        emergency_advice(dispatcher, tracker, stopped_form=stopped_form)
        return [ActiveLoop(None), *reset_intake(), *reset_callback(), *reset_safety_screen()]


class ValidateSafetyScreenForm(PatientFormValidation):
    """The safety screen asked on its own, outside the intake and call-back forms."""

    screens_possible_red_flags = False

    def name(self) -> str:
        return "validate_safety_screen_form"


class ActionFinishSafetyScreen(Action):
    """Acts on the screen's answer: emergency advice for a yes, reassurance for a no."""

    def name(self) -> str:
        return "action_finish_safety_screen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        if tracker.get_slot(flow.SAFETY_SCREEN) is True:
            emergency_advice(dispatcher, tracker, stopped_form=False)
        else:
            dispatcher.utter_message(response="utter_safety_screen_clear")
        return reset_safety_screen()


class ActionHandleUrgentSymptom(Action):
    """Advises seeing a doctor soon for urgent (not emergency) signs.

    Outside a form, a guidance question asked in the same message ("still hurting after 4
    months of PT. When does surgery become the answer?") is answered after the advice
    (`spinecare.answers.question_behind_override`): the advice alone left it unanswered.
    """

    def name(self) -> str:
        return "action_handle_urgent_symptom"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        log_event("red_flag", tracker.sender_id, severity="urgent", action="advise")
        reason = reason_in_plain_words(tracker, GENERIC_URGENT_REASON)
        dispatcher.utter_message(text=reason)
        dispatcher.utter_message(response="utter_urgent_symptom")
        if not tracker.active_loop_name:
            choice = question_behind_override(
                tracker.latest_message, config.current().answer_confidence
            )
            if choice.utter_action:
                give_answer(dispatcher, tracker.sender_id, choice, choice.topic.split("/", 1)[0])
        return []
