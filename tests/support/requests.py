"""The one factory of request fields for tests: a valid MRI review and a valid call-back.

Each suite overrides what it needs to be different (a persona of its own, a channel,
a conversation id); everything else is the same valid request everywhere, so a new
required field is added here once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spinecare.intake.consent import consent_record


def mri_review_fields(**overrides: Any) -> dict[str, Any]:
    """Every field an MRI review request takes, valid, as the intake form hands them over."""
    values: dict[str, Any] = {
        "first_name": "Zebediah",
        "last_name": "Quintrell",
        "phone": "+12125550182",
        "email": "zeb.quintrell@mail.example",
        "zip_code": "10001",
        "state": "NY",
        "adult": True,
        "has_mri": True,
        "mri_taken": date(2026, 8, 1),
        "mri_older_than_two_years": False,
        "mri_region": "lumbar",
        "symptoms": "Burning pain down my left calf when sitting.",
        "symptom_entities": ["sciatica"],
        "symptom_duration": "about three months",
        "treatments_tried": ["physical_therapy"],
        "contact_method": "call",
        "best_time": "morning",
        "conversation_id": "conv-mri",
        **consent_record("socketio"),
    }
    values.update(overrides)
    return values


def callback_fields(**overrides: Any) -> dict[str, Any]:
    """The fields of a call-back request, valid, as the call-back form hands them over."""
    values: dict[str, Any] = {
        "first_name": "Philippa",
        "last_name": "Marchbanks",
        "phone": "+14155552671",
        "best_time": "afternoon",
        "notes": "Numb toes since the weekend.",
        "conversation_id": "conv-cb",
        **consent_record("socketio"),
    }
    values.update(overrides)
    return values
