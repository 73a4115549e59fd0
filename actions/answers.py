"""Answers to exercise, self-care, surgery and MRI-review questions from the clinic guidance."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import config
from spinecare import names
from spinecare.answers import activities_in, answer_when_unsure, choose_answer
from spinecare.events import log_event


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
        log_event(
            "question_answered" if choice.utter_action else "question_not_answered",
            tracker.sender_id,
            intent=intent,
            topic=choice.topic,
            confidence=round(choice.confidence, 3),
        )
        if choice.utter_action:
            dispatcher.utter_message(response=choice.utter_action)
        elif intent == names.NLU_FALLBACK:
            dispatcher.utter_message(response="utter_default")
        else:
            dispatcher.utter_message(response="utter_unsure_which_question")
        return []
