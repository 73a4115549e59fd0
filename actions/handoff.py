"""Putting the person in touch with a human: the practice's number and hours, and a call-back.

The call-back form asks for name, phone and best time with the same validators as
the MRI review intake (`spinecare.intake.checks`), reads answers the same way
(`actions.forms`), asks for consent, and stores the request through the same outbox
so consultants are told of it the same way.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import config
from actions.forms import PatientFormValidation
from actions.limits import submission_refused
from actions.phone_on_file import read_offer_answer
from actions.resets import CALLBACK_SLOTS, reset_callback
from actions.safety import emergency_advice
from spinecare import services
from spinecare.events import log_event
from spinecare.handoff.contact import opening_hours, practice_contact_text
from spinecare.handoff.hours import when_text
from spinecare.intake import flow
from spinecare.intake.consent import CALLBACK_CONSENT_TEXT, callback_consent_record
from spinecare.messaging.phone_on_file import message_sender


def call_back_when(now: datetime | None = None) -> str:
    """When a consultant can call: "shortly" in opening hours, else the next opening."""
    hours, now = opening_hours(config.current()), now or datetime.now(timezone.utc)
    if hours.is_open(now):
        return "shortly, during today's opening hours"
    return f"when we open, {when_text(hours.next_opening(now), now, hours.zone)}"


class ActionOfferHuman(Action):
    """Gives the practice's number and hours; outside a form, a call-back is offered next."""

    def name(self) -> str:
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        conf = config.current()
        hours, now = opening_hours(conf), datetime.now(timezone.utc)
        in_form = bool((tracker.active_loop or {}).get("name"))
        log_event(
            "human_handoff", tracker.sender_id, status="open" if hours.is_open(now) else "closed"
        )
        dispatcher.utter_message(text=practice_contact_text(conf, now))
        if in_form:
            dispatcher.utter_message(text="Or we can carry on here.")
        return []


class ValidateCallbackForm(PatientFormValidation):
    """Validates a call-back request with the intake's own validators; stores it on consent."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("callback_wanted") is False:
            return flow.with_safety_screen(["callback_wanted"], tracker.slots)
        return flow.with_safety_screen(list(CALLBACK_SLOTS), tracker.slots)

    async def run(self, dispatcher, tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = []
        if not tracker.get_slot("callback_submission_key"):
            events.append(SlotSet("callback_submission_key", uuid.uuid4().hex))
        return events + await super().run(dispatcher, tracker, domain)

    def validate_callback_wanted(self, value, dispatcher, tracker, domain):
        return self.check("callback_wanted", value, dispatcher, tracker, domain)

    def validate_full_name(self, value, dispatcher, tracker, domain):
        return self.check("full_name", value, dispatcher, tracker, domain)

    def validate_phone(self, value, dispatcher, tracker, domain):
        return read_offer_answer(value, tracker) or self.check(
            "phone", value, dispatcher, tracker, domain
        )

    def validate_best_time(self, value, dispatcher, tracker, domain):
        return self.check("best_time", value, dispatcher, tracker, domain)

    async def validate_callback_consent(self, value, dispatcher, tracker, domain):
        checked = self.check("callback_consent", value, dispatcher, tracker, domain)
        if checked.get("callback_consent") is not True:
            return checked
        if submission_refused(tracker, dispatcher):
            return {"callback_consent": None}
        fields = {
            "first_name": tracker.get_slot("first_name"),
            "last_name": tracker.get_slot("last_name"),
            "phone": tracker.get_slot("phone"),
            "best_time": tracker.get_slot("best_time"),
            "contact_method": "call",
            "conversation_id": tracker.sender_id,
            "sender": message_sender((tracker.latest_message or {}).get("metadata")),
            **callback_consent_record(channel=tracker.get_latest_input_channel() or "unknown"),
        }
        key = tracker.get_slot("callback_submission_key") or uuid.uuid4().hex
        try:
            reference = await asyncio.to_thread(
                services.submit_callback, config.current(), fields, key
            )
        except Exception as error:  # any storage failure: the patient gets an answer, not a 500
            log_event("callback_store_failed", tracker.sender_id, error_type=type(error).__name__)
            dispatcher.utter_message(response="utter_intake_store_failed")
            return {"callback_consent": None}
        log_event("callback_submitted", tracker.sender_id, reference=reference, outcome="stored")
        return {**checked, "last_reference": reference}


class ActionAskCallbackConsent(Action):
    """Asks for consent to be called, with the exact versioned call-back consent text."""

    def name(self) -> str:
        return "action_ask_callback_consent"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        dispatcher.utter_message(
            text=f"{CALLBACK_CONSENT_TEXT}\n\nDo you agree to be called about this request?",
            buttons=[
                {"title": "Yes, I agree", "payload": "yes"},
                {"title": "No", "payload": "no"},
            ],
        )
        return []


class ActionSubmitCallback(Action):
    """Confirms a stored call-back request and when to expect the call, or says nothing was kept."""

    def name(self) -> str:
        return "action_submit_callback"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        reference = tracker.get_slot("last_reference")
        if tracker.get_slot(flow.SAFETY_SCREEN) is True:
            emergency_advice(dispatcher, tracker, stopped_form=True)
            return reset_callback()
        if tracker.get_slot("callback_wanted") is False:
            dispatcher.utter_message(response="utter_callback_not_wanted")
        elif tracker.get_slot("callback_consent") is not True or not reference:
            dispatcher.utter_message(response="utter_callback_no_consent")
        else:
            dispatcher.utter_message(
                response="utter_callback_submitted", reference=reference, when=call_back_when()
            )
        return [*reset_callback(), SlotSet("last_reference", reference)]


class ActionCancelCallback(Action):
    """Stops the call-back request and forgets its answers; nothing has been stored."""

    def name(self) -> str:
        return "action_cancel_callback"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        log_event("callback_cancelled", tracker.sender_id)
        dispatcher.utter_message(response="utter_callback_cancelled")
        return [ActiveLoop(None), *reset_callback()]
