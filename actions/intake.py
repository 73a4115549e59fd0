"""The no-cost MRI review intake: the form's validation, its summary and consent, submission.

The rules (question order, what a valid answer is, when nothing may be stored) live
in `spinecare.intake`; this module only connects them to Rasa's form machinery.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import config
from actions.forms import FAILED_ATTEMPTS, REASK, PatientFormValidation
from actions.limits import submission_refused
from actions.phone_on_file import read_offer_answer
from actions.resets import reset_intake
from actions.safety import emergency_advice
from spinecare import requests, services
from spinecare.events import log_event
from spinecare.intake import flow, validators
from spinecare.intake.checks import check_answer
from spinecare.intake.consent import PRIVACY_NOTICE, consent_record, consent_wording
from spinecare.intake.corrections import (
    find_correction,
    name_after_change,
    treatments_with_added,
)
from spinecare.markdown import escape_markdown
from spinecare.messaging.phone_on_file import message_sender

FORM = "mri_review_form"
SPACY_EXTRACTOR = "SpacyEntityExtractor"
NOTHING_STORED_RESPONSES = {
    "under_18": "utter_intake_under_18",
    "no_mri_no_call": "utter_intake_no_mri_no_call",
    "no_consent": "utter_intake_no_consent",
}


class ValidateMriReviewForm(PatientFormValidation):
    """Validates each answer; handles corrections and the question order and branches."""

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
        text = (tracker.latest_message or {}).get("text") or ""
        found = find_correction(text, tracker.slots, pending=requested)
        if found is None or found.field == requested:
            return None
        label = escape_markdown(flow.FIELD_LABELS.get(found.field, found.field.replace("_", " ")))
        name_parts = ("first_name", "last_name")
        if found.field in name_parts and not all(tracker.get_slot(part) for part in name_parts):
            return None
        undo_raw_answer = [SlotSet(requested, None)] if requested else []
        if found.value is None:
            log_event("intake_correction", tracker.sender_id, field=found.field, outcome="reask")
            dispatcher.utter_message(text=f"Sure, let's change your {label}.")
            cleared = [found.field, "summary_confirmed", "consent"]
            return undo_raw_answer + [SlotSet(slot, None) for slot in cleared]
        checked = check_answer(found.field, found.value)
        if isinstance(checked, str):
            log_event("intake_correction", tracker.sender_id, field=found.field, outcome="invalid")
            dispatcher.utter_message(
                text=f"I couldn't update your {label}: {escape_markdown(checked)}"
            )
            return undo_raw_answer
        if found.field in name_parts:
            checked = name_after_change(found.field, checked[found.field], tracker.slots)
        if found.adds:
            stored = tracker.get_slot(found.field)
            checked[found.field] = treatments_with_added(stored, checked[found.field])
        if flow.emails_without_an_address({**tracker.slots, **checked}):
            log_event("intake_correction", tracker.sender_id, field=found.field, outcome="invalid")
            dispatcher.utter_message(text=flow.NO_EMAIL_TO_CONTACT)
            return undo_raw_answer
        if all(tracker.get_slot(slot) == value for slot, value in checked.items()):
            if found.certain:
                log_event("intake_correction", tracker.sender_id, field=found.field,
                          outcome="unchanged")  # fmt: skip
                dispatcher.utter_message(text=f"Thanks, noted. Your {label} stays the same.")
                return undo_raw_answer
            # Already so ("yes, with text instead of email" typed again at the new summary):
            # the message is read as the answer to the question pending.
            return None
        log_event("intake_correction", tracker.sender_id, field=found.field, outcome="updated")
        dispatcher.utter_message(text=f"Thanks, I've updated your {label}.")
        return undo_raw_answer + [SlotSet(slot, value) for slot, value in checked.items()]

    def validate_full_name(self, value, dispatcher, tracker, domain):
        return self.check("full_name", value, dispatcher, tracker, domain)

    def validate_adult(self, value, dispatcher, tracker, domain):
        return self.check("adult", value, dispatcher, tracker, domain)

    def validate_has_mri(self, value, dispatcher, tracker, domain):
        return self.check("has_mri", value, dispatcher, tracker, domain)

    def validate_mri_call_instead(self, value, dispatcher, tracker, domain):
        return self.check("mri_call_instead", value, dispatcher, tracker, domain)

    def validate_mri_taken(self, value, dispatcher, tracker, domain):
        checked = self.check("mri_taken", value, dispatcher, tracker, domain)
        if checked.get("mri_older_than_two_years"):
            dispatcher.utter_message(response="utter_mri_older_than_two_years")
        return checked

    def validate_mri_region(self, value, dispatcher, tracker, domain):
        return self.check("mri_region", value, dispatcher, tracker, domain)

    def validate_symptoms(self, value, dispatcher, tracker, domain):
        checked = self.check("symptoms", value, dispatcher, tracker, domain)
        if checked.get("symptoms"):
            checked["symptom_entities"] = [
                f"{e.get('entity')}:{e.get('value')}"
                for e in (tracker.latest_message or {}).get("entities") or []
                if e.get("extractor") == SPACY_EXTRACTOR
            ]
        return checked

    def validate_symptom_duration(self, value, dispatcher, tracker, domain):
        return self.check("symptom_duration", value, dispatcher, tracker, domain)

    def validate_treatments_tried(self, value, dispatcher, tracker, domain):
        return self.check("treatments_tried", value, dispatcher, tracker, domain)

    def validate_phone(self, value, dispatcher, tracker, domain):
        joined = _finishes_a_number(value, tracker)
        if joined is not None:
            value = joined
        checked = read_offer_answer(value, tracker) or self.check(
            "phone", value, dispatcher, tracker
        )
        if checked.get("phone") and not tracker.get_slot("email"):
            # "515 555 0187, email helen@example.org": the next answer, given early.
            email = validators.validate_email(str(value or ""))
            if email.ok:
                checked["email"] = email.value
                dispatcher.utter_message(text="Thanks, I've noted your email address too.")
        return checked

    def validate_email(self, value, dispatcher, tracker, domain):
        return self.check("email", value, dispatcher, tracker, domain)

    def validate_zip_code(self, value, dispatcher, tracker, domain):
        confirmed = _zip_confirmed(value, tracker)
        if confirmed is not None:
            failures = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
            failures.pop("zip_code", None)
            return {
                "zip_code": confirmed.zip_code,
                "state": confirmed.state,
                FAILED_ATTEMPTS: failures,
                REASK: None,
            }
        return self.check("zip_code", value, dispatcher, tracker, domain)

    def validate_contact_method(self, value, dispatcher, tracker, domain):
        checked = self.check("contact_method", value, dispatcher, tracker, domain)
        if flow.emails_without_an_address({**tracker.slots, **checked}):
            dispatcher.utter_message(text=flow.NO_EMAIL_TO_CONTACT)
            return {"contact_method": None}
        return checked

    def validate_best_time(self, value, dispatcher, tracker, domain):
        return self.check("best_time", value, dispatcher, tracker, domain)

    def validate_summary_confirmed(self, value, dispatcher, tracker, domain):
        checked = self.check("summary_confirmed", value, dispatcher, tracker, domain)
        if checked.get("summary_confirmed") is False:
            checked["summary_confirmed"] = None
            dispatcher.utter_message(
                text="What would you like to change?", buttons=_change_buttons(tracker)
            )
        return checked

    async def validate_consent(self, value, dispatcher, tracker, domain):
        """Stores the request the moment consent is given; a failed store asks again."""
        checked = self.check("consent", value, dispatcher, tracker, domain)
        if checked.get("consent") is not True:
            return checked
        if submission_refused(tracker, dispatcher):
            return {"consent": None}
        key = tracker.get_slot("submission_key") or f"{tracker.sender_id}:{uuid.uuid4().hex}"
        try:
            reference = await asyncio.to_thread(
                services.submit_mri_review,
                config.current(),
                submission_fields(tracker),
                key,
            )
        except Exception as error:  # any storage failure: the patient gets an answer, not a 500
            log_event("intake_store_failed", tracker.sender_id, error_type=type(error).__name__)
            dispatcher.utter_message(response="utter_intake_store_failed")
            return {"consent": None}
        log_event("intake_submitted", tracker.sender_id, reference=reference, outcome="stored")
        return {**checked, "last_reference": reference}


def _email_given(slots: dict[str, Any]) -> bool:
    email = slots.get("email")
    return bool(email) and email != flow.NOT_KNOWN


def _refused_answer_before(slot: str, tracker: Tracker) -> str | None:
    """The patient's message before this one, when it was refused as this question's answer."""
    if not (tracker.get_slot(FAILED_ATTEMPTS) or {}).get(slot):
        return None
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return said[-2] if len(said) >= 2 else None


def _finishes_a_number(value: Any, tracker: Tracker) -> str | None:
    """The phone number an answer completes, when the one before it at this question was
    cut short ("my number is 909", then "555 0143 sorry it sent before i finished")."""
    before = _refused_answer_before("phone", tracker)
    return None if before is None else validators.phone_in_two_parts(before, str(value or ""))


def _zip_confirmed(value: Any, tracker: Tracker) -> validators.ZipLocation | None:
    """The ZIP code with its leading 0 put back, when the patient said yes to it ("2740",
    then "yes" to "Did you mean 02740 (New Bedford, MA)?")."""
    before = _refused_answer_before("zip_code", tracker)
    if before is None:
        return None
    return validators.zip_confirmed_with_its_zero(before, str(value or ""))


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
        dispatcher.utter_message(text=consent_wording(_email_given(tracker.slots))[1])
        dispatcher.utter_message(
            text=f"{PRIVACY_NOTICE}\n\nDo you agree to be contacted about this request?",
            buttons=[
                {"title": "Yes, I agree", "payload": "yes"},
                {"title": "No", "payload": "no"},
            ],
        )
        return []


def submission_fields(tracker: Tracker) -> dict[str, Any]:
    """The stored request, built from the form's slots and the consent record.

    The slots handed over are the declaration's (`spinecare.requests.form_fields`);
    a list slot never filled is an empty list, any other is left out.
    """
    slots = tracker.slots
    fields: dict[str, Any] = {}
    for name in requests.form_fields(requests.MRI_REVIEW):
        value = slots.get(name)
        if value == flow.NOT_KNOWN:
            continue
        fields[name] = (value or []) if requests.BY_NAME[name].kind == "list" else value
    fields["conversation_id"] = tracker.sender_id
    # On the text channels, who gave the consent: the number or page-scoped id.
    fields["sender"] = message_sender((tracker.latest_message or {}).get("metadata"))
    fields.update(
        consent_record(
            channel=tracker.get_latest_input_channel() or "unknown",
            email_given=_email_given(slots),
        )
    )
    return {key: value for key, value in fields.items() if value is not None}


class ActionFinishMriReview(Action):
    """Ends the intake: the stored request's reference, or why nothing was stored."""

    def name(self) -> str:
        return "action_finish_mri_review"

    async def run(self, dispatcher, tracker, domain) -> list[EventType]:
        outcome = flow.outcome(tracker.slots)
        reference = tracker.get_slot("last_reference")
        if outcome == "emergency":
            log_event("intake_finished", tracker.sender_id, outcome=outcome)
            emergency_advice(dispatcher, tracker, stopped_form=True)
            return reset_intake()
        if outcome != "submit" or not reference:
            log_event("intake_finished", tracker.sender_id, outcome=outcome)
            dispatcher.utter_message(response=NOTHING_STORED_RESPONSES[outcome])
            return reset_intake()
        dispatcher.utter_message(
            response="utter_intake_submitted",
            reference=reference,
            contact_by=flow.CONTACT_WORDS.get(tracker.get_slot("contact_method"), "phone"),
            reply_promise=config.current().reply_promise,
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
