"""Answers to exercise, self-care, surgery and MRI-review questions from the clinic guidance."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import config
from spinecare import names
from spinecare.answers import (
    Choice,
    activities_in,
    answer_when_unsure,
    choose_answer,
    general_answer_behind_advice,
)
from spinecare.events import log_event


def give_answer(
    dispatcher: CollectingDispatcher, conversation_id: str, choice: Choice, intent: str | None
) -> bool:
    """Send the chosen answer, if there is one, and log which topic was (not) answered.

    One place, so that an answer given after urgent advice is counted like any other.
    """
    log_event(
        "question_answered" if choice.utter_action else "question_not_answered",
        conversation_id,
        intent=intent,
        topic=choice.topic,
        confidence=round(choice.confidence, 3),
    )
    if choice.utter_action:
        dispatcher.utter_message(response=choice.utter_action)
    return bool(choice.utter_action)


class ActionAnswerQuestion(Action):
    """Give the reviewed answer of the topic, the intent's overview, or ask to rephrase.

    The overview is given when the intent is clear and the topic is not
    (`spinecare.answers.choose_answer`); a rephrase only when the intent itself is unsure.
    A message the classifier is unsure of (nlu_fallback) is answered only when the answer
    selector is sure of a topic the classifier also considered
    (`spinecare.answers.answer_when_unsure`); otherwise it gets the main options.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent == names.NLU_FALLBACK:
            choice = answer_when_unsure(
                message.get("response_selector"),
                message.get("intent_ranking"),
                config.current().answer_confidence,
                activities=activities_in(message.get("entities")),
            )
        else:
            choice = choose_answer(
                message.get("response_selector"),
                intent,
                config.current().answer_confidence,
                intent_confidence=float((message.get("intent") or {}).get("confidence") or 0.0),
                activities=activities_in(message.get("entities")),
            )
        if not give_answer(dispatcher, tracker.sender_id, choice, intent):
            unsure = intent == names.NLU_FALLBACK
            dispatcher.utter_message(
                response="utter_default" if unsure else "utter_unsure_which_question"
            )
        return []


class ActionDeclineMedicalAdvice(Action):
    """Decline personal medical advice, then give the guidance's general answer on it.

    A diagnosis, a dose or a judgement on the person's own case is for their doctor; what
    the clinic's guidance says in general about the subject is not, and a bare refusal
    leaves the person with nothing (`spinecare.answers.general_answer_behind_advice`).
    """

    def name(self) -> str:
        return "action_decline_medical_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        choice = general_answer_behind_advice(message.get("response_selector"), message.get("text"))
        if choice.utter_action is None:
            dispatcher.utter_message(response="utter_decline_medical_advice")
            return []
        dispatcher.utter_message(response="utter_decline_medical_advice_then_guidance")
        give_answer(dispatcher, tracker.sender_id, choice, intent)
        dispatcher.utter_message(response="utter_medical_advice_next_steps")
        return []
