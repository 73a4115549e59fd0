"""Answers to exercise, self-care, surgery and MRI-review questions from the clinic guidance."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import config
from spinecare.answers import activities_in, choose_answer
from spinecare.events import log_event


class ActionAnswerQuestion(Action):
    """Give the reviewed answer of the topic, the intent's overview, or ask to rephrase.

    The overview is given when the intent is clear and the topic is not
    (`spinecare.answers.choose_answer`); a rephrase only when the intent itself is unsure.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
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
        else:
            dispatcher.utter_message(response="utter_unsure_which_question")
        return []
