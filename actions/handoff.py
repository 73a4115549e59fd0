"""Putting the person in touch with a human: the practice's phone number and opening hours."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from spinecare import settings
from spinecare.events import log_event


class ActionOfferHuman(Action):
    """Gives the practice's phone number and hours (from settings)."""

    def name(self) -> str:
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        conf = settings.load()
        log_event("human_handoff", tracker.sender_id)
        dispatcher.utter_message(
            text=(
                f"You can talk to one of our Spine Care Consultants at {conf.practice_phone} "
                f"({conf.practice_hours})."
            )
        )
        return []
