"""Forgetting a form's answers: the one place every way out of a form goes through.

Why one module: cancel, decline, under 18, a red flag, the end of a safety screen and a
stored request all drop what the person typed into the form; keeping the slot lists
here means a new slot cannot be forgotten on one of those paths.
"""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from spinecare.conversations import forget_marker
from spinecare.intake import flow

CALLBACK_SLOTS = ("callback_wanted", "full_name", "phone", "best_time", "callback_consent")
CALLBACK_DERIVED = (
    "phone_on_file_declined",
    "first_name",
    "last_name",
    "callback_submission_key",
    "failed_attempts",
    "reask",
    flow.SAFETY_SCREEN,
    flow.SAFETY_SCREEN_PENDING,
)
SAFETY_SCREEN_SLOTS = (flow.SAFETY_SCREEN, flow.SAFETY_SCREEN_PENDING, "failed_attempts", "reask")


def _cleared(slots, form: str | None = None) -> list[EventType]:
    """The slots emptied; for a form that held patient answers, the last event is also the
    marker that has the tracker store redact what was typed into it
    (`spinecare.conversations`), so "nothing was kept" is true there too."""
    last = forget_marker(form) if form else SlotSet("requested_slot", None)
    return [SlotSet(slot, None) for slot in dict.fromkeys(slots)] + [last]


def reset_intake() -> list[EventType]:
    """Events that forget every answer of the MRI review intake."""
    return _cleared(flow.ALL_SLOTS, "mri_review_form")


def reset_callback() -> list[EventType]:
    """Events that forget every answer of the call-back request."""
    return _cleared((*CALLBACK_SLOTS, *CALLBACK_DERIVED), "callback_form")


def reset_safety_screen() -> list[EventType]:
    """Events that forget the safety screen's answer once it has been acted on."""
    return _cleared(SAFETY_SCREEN_SLOTS)
