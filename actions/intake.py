"""The no-cost MRI review intake: the form's validation, its summary and consent, submission.

The rules (question order, what a valid answer is, when nothing may be stored) live
in `spinecare.intake`; this module only connects them to Rasa's form machinery.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from spinecare import settings
from spinecare.events import log_event
from spinecare.intake import flow, validators
from spinecare.intake.consent import CONSENT_TEXT, PRIVACY_NOTICE, consent_record
from spinecare.intake.corrections import parse_correction
from spinecare.storage import db, repository, schema

FORM = "mri_review_form"
MAX_TRIES_BEFORE_OFFERING_A_PERSON = 2
SPACY_EXTRACTOR = "SpacyEntityExtractor"
NOTHING_STORED_RESPONSES = {
    "under_18": "utter_intake_under_18",
    "no_mri_no_call": "utter_intake_no_mri_no_call",
    "no_consent": "utter_intake_no_consent",
}
YES_NO_QUESTIONS = {
    "mri_call_instead": "Please answer yes if you'd like a consultant to call you, or no.",
    "summary_confirmed": "Please answer yes if everything is right, or no to change something.",
}


def reset_intake() -> list[EventType]:
    """Events that forget every answer of the intake (cancel, red flag, after submission)."""
    return [SlotSet(slot, None) for slot in flow.ALL_SLOTS] + [SlotSet("requested_slot", None)]


def check_answer(slot: str, text: Any, today: date | None = None) -> dict[str, Any] | str:
    """Validate one answer: the slot values to set, or the reason to show when it is invalid."""
    text = "" if text is None else str(text)
    if slot == "full_name":
        result = validators.validate_name(text)
        if not result.ok:
            return result.reason
        first, last = result.value
        return {"full_name": f"{first} {last}", "first_name": first, "last_name": last}
    if slot == "mri_taken":
        result = validators.validate_mri_date(text, today)
        if not result.ok:
            return result.reason
        return {
            "mri_taken": result.value.isoformat(),
            "mri_older_than_two_years": bool(result.extra.get("older_than_two_years")),
        }
    if slot == "zip_code":
        result = validators.validate_zip(text)
        if not result.ok:
            return result.reason
        return {"zip_code": result.value.zip_code, "state": result.value.state}
    if slot in YES_NO_QUESTIONS:
        answer = validators.parse_yes_no(text)
        return YES_NO_QUESTIONS[slot] if answer is None else {slot: answer}
    simple = {
        "adult": validators.validate_adult,
        "has_mri": validators.validate_has_mri,
        "mri_region": validators.validate_mri_region,
        "symptoms": validators.validate_symptoms,
        "symptom_duration": validators.validate_symptom_duration,
        "treatments_tried": validators.validate_treatments,
        "phone": validators.validate_phone,
        "email": validators.validate_email,
        "contact_method": validators.validate_contact_method,
        "best_time": validators.validate_best_time,
        "consent": validators.validate_consent,
    }
    result = simple[slot](text)
    return {slot: result.value} if result.ok else result.reason


class ValidateMriReviewForm(FormValidationAction):
    """Validates each answer; handles corrections, repeated failures and question order."""

    def name(self) -> str:
        return "validate_mri_review_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return flow.required_slots(tracker.slots)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        if not tracker.get_slot("submission_key"):
            events.append(SlotSet("submission_key", uuid.uuid4().hex))
        if _urgent_sign(tracker):
            dispatcher.utter_message(response="utter_urgent_symptom")
        correction = self._correction(dispatcher, tracker)
        if correction is not None:
            tracker.add_slots(correction)
            next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
            return events + correction + ([next_slot] if next_slot else [])
        return events + await super().run(dispatcher, tracker, domain)

    def _correction(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """Apply "actually my email is ..." to the field it names, then re-ask the open question."""
        requested = tracker.get_slot("requested_slot")
        found = parse_correction((tracker.latest_message or {}).get("text") or "")
        if found is None or found.field == requested:
            return None
        label = flow.FIELD_LABELS.get(found.field, found.field.replace("_", " "))
        undo_raw_answer = [SlotSet(requested, None)] if requested else []
        if found.value is None:
            log_event("intake_correction", tracker.sender_id, field=found.field, outcome="reask")
            dispatcher.utter_message(text=f"Sure, let's change your {label}.")
            cleared = [found.field, "summary_confirmed", "consent"]
            return undo_raw_answer + [SlotSet(slot, None) for slot in cleared]
        checked = check_answer(found.field, found.value)
        if isinstance(checked, str):
            log_event("intake_correction", tracker.sender_id, field=found.field, outcome="invalid")
            dispatcher.utter_message(text=f"I couldn't update your {label}: {checked}")
            return undo_raw_answer
        log_event("intake_correction", tracker.sender_id, field=found.field, outcome="updated")
        dispatcher.utter_message(text=f"Thanks, I've updated your {label}.")
        return undo_raw_answer + [SlotSet(slot, value) for slot, value in checked.items()]

    def _check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        checked = check_answer(slot, value)
        failures = dict(tracker.get_slot("failed_attempts") or {})
        if isinstance(checked, str):
            failures[slot] = failures.get(slot, 0) + 1
            log_event(
                "intake_answer_invalid", tracker.sender_id, field=slot, attempt=failures[slot]
            )
            dispatcher.utter_message(text=checked)
            if failures[slot] >= MAX_TRIES_BEFORE_OFFERING_A_PERSON:
                dispatcher.utter_message(response="utter_offer_person_after_failures")
            return {slot: None, "failed_attempts": failures}
        failures.pop(slot, None)
        checked["failed_attempts"] = failures
        return checked

    def validate_full_name(self, value, dispatcher, tracker, domain):
        return self._check("full_name", value, dispatcher, tracker)

    def validate_adult(self, value, dispatcher, tracker, domain):
        return self._check("adult", value, dispatcher, tracker)

    def validate_has_mri(self, value, dispatcher, tracker, domain):
        return self._check("has_mri", value, dispatcher, tracker)

    def validate_mri_call_instead(self, value, dispatcher, tracker, domain):
        return self._check("mri_call_instead", value, dispatcher, tracker)

    def validate_mri_taken(self, value, dispatcher, tracker, domain):
        checked = self._check("mri_taken", value, dispatcher, tracker)
        if checked.get("mri_older_than_two_years"):
            dispatcher.utter_message(response="utter_mri_older_than_two_years")
        return checked

    def validate_mri_region(self, value, dispatcher, tracker, domain):
        return self._check("mri_region", value, dispatcher, tracker)

    def validate_symptoms(self, value, dispatcher, tracker, domain):
        checked = self._check("symptoms", value, dispatcher, tracker)
        if checked.get("symptoms"):
            checked["symptom_entities"] = [
                f"{e.get('entity')}:{e.get('value')}"
                for e in (tracker.latest_message or {}).get("entities") or []
                if e.get("extractor") == SPACY_EXTRACTOR
            ]
        return checked

    def validate_symptom_duration(self, value, dispatcher, tracker, domain):
        return self._check("symptom_duration", value, dispatcher, tracker)

    def validate_treatments_tried(self, value, dispatcher, tracker, domain):
        return self._check("treatments_tried", value, dispatcher, tracker)

    def validate_phone(self, value, dispatcher, tracker, domain):
        return self._check("phone", value, dispatcher, tracker)

    def validate_email(self, value, dispatcher, tracker, domain):
        return self._check("email", value, dispatcher, tracker)

    def validate_zip_code(self, value, dispatcher, tracker, domain):
        return self._check("zip_code", value, dispatcher, tracker)

    def validate_contact_method(self, value, dispatcher, tracker, domain):
        return self._check("contact_method", value, dispatcher, tracker)

    def validate_best_time(self, value, dispatcher, tracker, domain):
        return self._check("best_time", value, dispatcher, tracker)

    def validate_summary_confirmed(self, value, dispatcher, tracker, domain):
        checked = self._check("summary_confirmed", value, dispatcher, tracker)
        if checked.get("summary_confirmed") is False:
            checked["summary_confirmed"] = None
            dispatcher.utter_message(
                text="What would you like to change?", buttons=_change_buttons(tracker)
            )
        return checked

    async def validate_consent(self, value, dispatcher, tracker, domain):
        """Stores the request the moment consent is given; a failed store asks again."""
        checked = self._check("consent", value, dispatcher, tracker)
        if checked.get("consent") is not True:
            return checked
        key = tracker.get_slot("submission_key") or f"{tracker.sender_id}:{uuid.uuid4().hex}"
        try:
            reference = await asyncio.to_thread(
                _store, settings.load().database_url, submission_fields(tracker), key
            )
        except Exception as error:  # any storage failure: the patient gets an answer, not a 500
            log_event("intake_store_failed", tracker.sender_id, error_type=type(error).__name__)
            dispatcher.utter_message(response="utter_intake_store_failed")
            return {"consent": None}
        log_event("intake_submitted", tracker.sender_id, reference=reference, outcome="stored")
        return {**checked, "last_reference": reference}


def _change_buttons(tracker: Tracker) -> list[dict[str, str]]:
    asked = [s for s in flow.required_slots(tracker.slots) if s in flow.FIELD_LABELS]
    return [
        {
            "title": f"Change my {flow.FIELD_LABELS[s]}",
            "payload": f"change my {flow.FIELD_LABELS[s]}",
        }
        for s in asked
        if s not in ("adult", "has_mri")
    ]


def _urgent_sign(tracker: Tracker) -> bool:
    message = tracker.latest_message or {}
    return (message.get("intent") or {}).get("name") == "report_urgent_symptom" and any(
        e.get("entity") == "red_flag_reason" for e in message.get("entities") or []
    )


class ActionAskSummaryConfirmed(Action):
    """Shows every answer and asks whether it is right, before consent is asked."""

    def name(self) -> str:
        return "action_ask_summary_confirmed"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        lines = "\n".join(f"- {line}" for line in flow.summary_lines(tracker.slots))
        dispatcher.utter_message(
            text=f"Here is what I have:\n{lines}\n\nIs everything correct?",
            buttons=[
                {"title": "Yes, that's right", "payload": "yes, that's right"},
                {"title": "Change something", "payload": "no, I need to change something"},
            ],
        )
        return []


class ActionAskConsent(Action):
    """Asks for explicit consent to be contacted, with the exact versioned consent text."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        dispatcher.utter_message(text=CONSENT_TEXT)
        dispatcher.utter_message(
            text=f"{PRIVACY_NOTICE}\n\nDo you agree to be contacted about this request?",
            buttons=[
                {"title": "Yes, I agree", "payload": "yes"},
                {"title": "No", "payload": "no"},
            ],
        )
        return []


_migrated: set[str] = set()
_migrate_lock = threading.Lock()
_sessions: dict[str, Any] = {}


def session_factory(url: str):
    """One engine per database URL, migrated to the current schema before first use."""
    with _migrate_lock:
        if url not in _migrated:
            schema.migrate(url)
            _migrated.add(url)
        if url not in _sessions:
            _sessions[url] = db.make_session_factory(db.make_engine(url))
        return _sessions[url]


def _store(url: str, fields: dict[str, Any], key: str) -> str:
    with session_factory(url)() as session:
        return repository.submit_request(session, fields, key)


def submission_fields(tracker: Tracker) -> dict[str, Any]:
    """The stored request, built from the form's slots and the consent record."""
    slots = tracker.slots
    fields = {
        "first_name": slots.get("first_name"),
        "last_name": slots.get("last_name"),
        "phone": slots.get("phone"),
        "email": slots.get("email"),
        "zip_code": slots.get("zip_code"),
        "state": slots.get("state"),
        "adult": slots.get("adult"),
        "has_mri": slots.get("has_mri"),
        "mri_taken": slots.get("mri_taken"),
        "mri_older_than_two_years": slots.get("mri_older_than_two_years"),
        "mri_region": slots.get("mri_region"),
        "symptoms": slots.get("symptoms"),
        "symptom_entities": slots.get("symptom_entities") or [],
        "symptom_duration": slots.get("symptom_duration"),
        "treatments_tried": slots.get("treatments_tried") or [],
        "contact_method": slots.get("contact_method"),
        "best_time": slots.get("best_time"),
        "conversation_id": tracker.sender_id,
    }
    fields.update(consent_record(channel=tracker.get_latest_input_channel() or "unknown"))
    return {key: value for key, value in fields.items() if value is not None}


class ActionSubmitMriReview(Action):
    """Confirms the stored request with its reference, or explains why nothing was stored."""

    def name(self) -> str:
        return "action_submit_mri_review"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        outcome = flow.outcome(tracker.slots)
        reference = tracker.get_slot("last_reference")
        if outcome != "submit" or not reference:
            log_event("intake_finished", tracker.sender_id, outcome=outcome)
            dispatcher.utter_message(response=NOTHING_STORED_RESPONSES[outcome])
            return reset_intake()
        dispatcher.utter_message(
            response="utter_intake_submitted",
            reference=reference,
            contact_by=flow.CONTACT_WORDS.get(tracker.get_slot("contact_method"), "phone"),
            reply_promise=settings.load().reply_promise,
        )
        return [*reset_intake(), SlotSet("last_reference", reference)]


class ActionCancelIntake(Action):
    """Stops the intake and forgets every answer; nothing has been stored."""

    def name(self) -> str:
        return "action_cancel_intake"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        log_event("intake_cancelled", tracker.sender_id)
        dispatcher.utter_message(response="utter_intake_cancelled")
        return [ActiveLoop(None), *reset_intake()]
