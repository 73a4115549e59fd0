"""Putting the person in touch with a human: the practice's number and hours, and a call-back.

The call-back form asks for name, phone and best time with the same validators as
the MRI review intake (`actions.intake.check_answer`), asks for consent, and stores
the request through the same outbox so consultants are told of it the same way.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake import check_answer, session_factory
from spinecare import settings
from spinecare.events import log_event
from spinecare.handoff.hours import OpeningHours, when_text
from spinecare.intake import validators
from spinecare.intake.consent import CALLBACK_CONSENT_TEXT, callback_consent_record
from spinecare.storage import repository

CALLBACK_SLOTS = ("callback_wanted", "full_name", "phone", "best_time", "callback_consent")
CALLBACK_DERIVED = ("first_name", "last_name", "callback_submission_key", "failed_attempts")


def _hours() -> OpeningHours:
    conf = settings.load()
    return OpeningHours.parse(conf.practice_hours, conf.practice_timezone)


def call_back_when(now: datetime | None = None) -> str:
    """When a consultant can call: "shortly" in opening hours, else the next opening."""
    hours, now = _hours(), now or datetime.now(timezone.utc)
    if hours.is_open(now):
        return "shortly, during today's opening hours"
    return f"when we open, {when_text(hours.next_opening(now), now, hours.zone)}"


def reset_callback() -> list[EventType]:
    return [SlotSet(s, None) for s in (*CALLBACK_SLOTS, *CALLBACK_DERIVED)] + [
        SlotSet("requested_slot", None)
    ]


class ActionOfferHuman(Action):
    """Gives the practice's number and hours; outside a form, a call-back is offered next."""

    def name(self) -> str:
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        conf, hours = settings.load(), _hours()
        now = datetime.now(timezone.utc)
        in_form = bool((tracker.active_loop or {}).get("name"))
        log_event(
            "human_handoff", tracker.sender_id, status="open" if hours.is_open(now) else "closed"
        )
        if hours.is_open(now):
            status = "We're open now."
        else:
            reopens = when_text(hours.next_opening(now), now, hours.zone)
            status = f"We're closed right now; we open again {reopens}."
        dispatcher.utter_message(
            text=(
                f"You can talk to one of our Spine Care Consultants at {conf.practice_phone}, "
                f"{hours.describe()}. {status}"
            )
        )
        if in_form:
            dispatcher.utter_message(text="Or we can carry on here.")
        return []


class ValidateCallbackForm(FormValidationAction):
    """Validates a call-back request with the intake's own validators; stores it on consent."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("callback_wanted") is False:
            return ["callback_wanted"]
        return list(CALLBACK_SLOTS)

    async def run(self, dispatcher, tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = []
        if not tracker.get_slot("callback_submission_key"):
            events.append(SlotSet("callback_submission_key", uuid.uuid4().hex))
        return events + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _yes_no(slot: str, value: Any, reason: str, dispatcher) -> dict[str, Any]:
        answer = validators.parse_yes_no("" if value is None else str(value))
        if answer is None:
            dispatcher.utter_message(text=reason)
        return {slot: answer}

    @staticmethod
    def _check(slot: str, value: Any, dispatcher) -> dict[str, Any]:
        checked = check_answer(slot, value)
        if isinstance(checked, str):
            dispatcher.utter_message(text=checked)
            return {slot: None}
        return checked

    def validate_callback_wanted(self, value, dispatcher, tracker, domain):
        return self._yes_no("callback_wanted", value, "Please answer yes or no.", dispatcher)

    def validate_full_name(self, value, dispatcher, tracker, domain):
        return self._check("full_name", value, dispatcher)

    def validate_phone(self, value, dispatcher, tracker, domain):
        return self._check("phone", value, dispatcher)

    def validate_best_time(self, value, dispatcher, tracker, domain):
        return self._check("best_time", value, dispatcher)

    async def validate_callback_consent(self, value, dispatcher, tracker, domain):
        checked = self._yes_no(
            "callback_consent",
            value,
            "Please answer yes if you agree to be called, or no.",
            dispatcher,
        )
        if checked["callback_consent"] is not True:
            return checked
        fields = {
            "first_name": tracker.get_slot("first_name"),
            "last_name": tracker.get_slot("last_name"),
            "phone": tracker.get_slot("phone"),
            "best_time": tracker.get_slot("best_time"),
            "contact_method": "call",
            "conversation_id": tracker.sender_id,
            **callback_consent_record(channel=tracker.get_latest_input_channel() or "unknown"),
        }
        key = tracker.get_slot("callback_submission_key") or uuid.uuid4().hex
        try:
            reference = await asyncio.to_thread(
                _store_callback, settings.load().database_url, fields, key
            )
        except Exception as error:  # any storage failure: the patient gets an answer, not a 500
            log_event("callback_store_failed", tracker.sender_id, error_type=type(error).__name__)
            dispatcher.utter_message(response="utter_intake_store_failed")
            return {"callback_consent": None}
        log_event("callback_submitted", tracker.sender_id, reference=reference, outcome="stored")
        return {"callback_consent": True, "last_reference": reference}


def _store_callback(url: str, fields: dict[str, Any], key: str) -> str:
    with session_factory(url)() as session:
        return repository.submit_callback(session, fields, key)


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
