"""Which question the MRI review intake asks next, and the summary shown before consent.

Why pure functions: the order of questions and the branches (under 18, no MRI yet,
declined consent) are what consultants and patients care about, and they are easier
to read and test here than inside a Rasa form.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from spinecare.intake import validators
from spinecare.markdown import escape_markdown

NAME = "full_name"
# The value of an optional answer the patient could not give ("I don't remember").
NOT_KNOWN = "not known"
SAFETY_SCREEN = "safety_screen"
SAFETY_SCREEN_PENDING = "safety_screen_pending"
PERSONAL = ("full_name", "adult", "has_mri")
MRI_DETAILS = ("mri_taken", "mri_region")
CLINICAL = ("symptoms", "symptom_duration", "treatments_tried")
CONTACT = ("phone", "email", "zip_code", "contact_method", "best_time")
CLOSING = ("summary_confirmed", "consent")

# Slots the form fills by asking, plus the ones its validators derive from answers.
ASKED_SLOTS = (*PERSONAL, "mri_call_instead", *MRI_DETAILS, *CLINICAL, *CONTACT, *CLOSING)
DERIVED_SLOTS = (
    SAFETY_SCREEN,
    SAFETY_SCREEN_PENDING,
    "reask",
    "phone_on_file_declined",
    "first_name",
    "last_name",
    "mri_older_than_two_years",
    "symptom_entities",
    "state",
    "failed_attempts",
    "submission_key",
)
ALL_SLOTS = ASKED_SLOTS + DERIVED_SLOTS

# What a person calls each field when correcting it, for the summary's "change" buttons.
# Contact by email was chosen after saying there is no email address.
NO_EMAIL_TO_CONTACT = (
    "You didn't give an email address, so the consultants will call or text you. "
    "Which would you prefer?"
)


def emails_without_an_address(values: Mapping[str, Any]) -> bool:
    """Contact by email asked for with no address to write to: never stored that way."""
    return values.get("contact_method") == "email" and values.get("email") == NOT_KNOWN


FIELD_LABELS = {
    "full_name": "name",
    "adult": "age confirmation",
    "has_mri": "whether you have an MRI",
    "mri_taken": "MRI date",
    "mri_region": "MRI region",
    "symptoms": "symptoms",
    "symptom_duration": "how long",
    "treatments_tried": "treatments",
    "phone": "phone",
    "email": "email",
    "zip_code": "ZIP code",
    "contact_method": "contact method",
    "best_time": "best time",
}

TREATMENT_WORDS = {
    "physical_therapy": "physical therapy",
    "medication": "medication",
    "injections": "injections",
    "chiropractic": "chiropractic care",
    "surgery": "surgery",
    "none": "none yet",
}
_ONE_REGION_WORDS = {
    "lumbar": "lower back (lumbar)",
    "thoracic": "mid back (thoracic)",
    "cervical": "neck (cervical)",
    "other": "other",
    "unsure": "not sure (the consultants will read it from your MRI report)",
}
REGION_WORDS = {
    code: " and ".join(_ONE_REGION_WORDS[part] for part in code.split("+"))
    for code in validators.MRI_REGIONS
}
CONTACT_WORDS = {"call": "a phone call", "text": "a text message", "email": "email"}
TIME_WORDS = {"asap": "as soon as possible", "morning": "morning", "afternoon": "afternoon",
              "evening": "evening"}  # fmt: skip


def with_safety_screen(slots: list[str], values: Mapping[str, Any]) -> list[str]:
    """The questions with the safety screen in front of them while it is pending.

    The screen is asked once a message raised it (the classifier alone suspected an
    emergency). A yes ends the form at once (nothing more is asked; the finishing step
    gives the emergency advice); a no is kept, so the screen is not asked again in the
    same form, and the form goes on exactly where it was.
    """
    if values.get(SAFETY_SCREEN) is True:
        return []
    if values.get(SAFETY_SCREEN_PENDING):
        return [SAFETY_SCREEN, *slots]
    return slots


def required_slots(values: Mapping[str, Any]) -> list[str]:
    """The questions still in play given the answers so far, in the order they are asked.

    An under-18 answer, or "no MRI and no call wanted", ends the intake early: the
    finishing step then explains and stores nothing.
    """
    return with_safety_screen(_intake_slots(values), values)


def _intake_slots(values: Mapping[str, Any]) -> list[str]:
    slots = [NAME, "adult"]
    if values.get("adult") is False:
        return slots
    slots.append("has_mri")
    if values.get("has_mri") is False:
        slots.append("mri_call_instead")
        if values.get("mri_call_instead") is False:
            return slots
    elif values.get("has_mri") is True:
        slots.extend(MRI_DETAILS)
    slots.extend(CLINICAL)
    slots.extend(CONTACT)
    slots.extend(CLOSING)
    return slots


def outcome(values: Mapping[str, Any]) -> str:
    """What the finished intake amounts to: submit, or one of the reasons to store nothing."""
    if values.get(SAFETY_SCREEN) is True:
        return "emergency"
    if values.get("adult") is False:
        return "under_18"
    if values.get("has_mri") is False and values.get("mri_call_instead") is False:
        return "no_mri_no_call"
    if values.get("consent") is not True:
        return "no_consent"
    return "submit"


def _month_words(value: Any) -> str:
    if not value:
        return "-"
    if value == NOT_KNOWN:
        return "not known (a consultant can ask you)"
    month = date.fromisoformat(str(value)[:10])
    return month.strftime("%B %Y")


def summary_lines(values: Mapping[str, Any]) -> list[str]:
    """The answers as the person will recognise them, one line per field.

    What the person typed is escaped for markdown (`spinecare.markdown`): the widget
    renders bot messages as markdown, so an echoed answer must not become a link.
    """
    typed = {k: escape_markdown(v) if isinstance(v, str) else v for k, v in values.items()}
    lines = [
        # Apart, so that a family name written first ("Kim Soo Jin") is seen and fixed.
        f"First name: {typed.get('first_name') or '-'}",
        f"Last name: {typed.get('last_name') or '-'}",
        "18 or older: yes",
    ]
    if values.get("has_mri"):
        older = " (more than 2 years ago)" if values.get("mri_older_than_two_years") else ""
        lines.append(f"MRI taken: {_month_words(values.get('mri_taken'))}{older}")
        lines.append(f"MRI region: {REGION_WORDS.get(values.get('mri_region'), '-')}")
    else:
        lines.append("MRI: not yet (a consultant call instead)")
    treatments = ", ".join(
        TREATMENT_WORDS.get(t, escape_markdown(t.removeprefix("other: ")))
        for t in values.get("treatments_tried") or []
    )
    lines += [
        f"Symptoms: {typed.get('symptoms') or '-'}",
        f"For how long: {typed.get('symptom_duration') or '-'}",
        f"Treatments tried: {treatments or '-'}",
        f"Phone: {typed.get('phone') or '-'}",
        f"Email: {'none given' if values.get('email') == NOT_KNOWN else typed.get('email') or '-'}",
        f"ZIP code: {typed.get('zip_code') or '-'} ({typed.get('state') or '-'})",
        f"Contact by: {CONTACT_WORDS.get(values.get('contact_method'), '-')}",
        f"Best time: {TIME_WORDS.get(values.get('best_time'), '-')}",
    ]
    return lines
