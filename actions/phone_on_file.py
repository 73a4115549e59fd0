"""The phone on file: on SMS and WhatsApp, the number the patient texts from is offered.

Why: asking someone who is texting us for their phone number again is a wasted
question and an easy place for a typo. The text channels put the sender's number in
each message's metadata (`channels/`); the intake and the call-back ask "Is +1 312 555
0199 the best number to reach you?" instead of "What is the best phone number...?".
A yes takes it, a number in the answer is used instead, a no asks for the number.
The offer and the reading of its answer are `spinecare.messaging.phone_on_file`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from spinecare.messaging.phone_on_file import (
    ASK_OTHER_NUMBER,
    offer_question,
    parse_offer_answer,
    sender_phone,
)

DECLINED = "phone_on_file_declined"


def offered_phone(tracker: Tracker) -> str | None:
    """The sender's number while it is on offer: on SMS/WhatsApp, until declined."""
    if tracker.get_slot(DECLINED):
        return None
    return sender_phone((tracker.latest_message or {}).get("metadata"))


def read_offer_answer(value: Any, tracker: Tracker) -> dict[str, Any] | None:
    """The slots for an answer to the offer, or None when it is not a clear answer to it."""
    offered = offered_phone(tracker)
    if offered is None:
        return None
    answer = parse_offer_answer(None if value is None else str(value), offered)
    if answer.phone:
        return {"phone": answer.phone}
    if answer.reask == ASK_OTHER_NUMBER:
        return {"phone": None, DECLINED: True}
    return None


class ActionAskPhone(Action):
    """Asks for the phone number, or offers the one the patient is texting from."""

    def name(self) -> str:
        return "action_ask_phone"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        offered = offered_phone(tracker)
        if offered is None:
            dispatcher.utter_message(response="utter_ask_phone")
        else:
            text, buttons = offer_question(offered)
            dispatcher.utter_message(text=text, buttons=buttons)
        return []
