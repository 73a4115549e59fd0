"""Recognising a correction in the middle of the intake ("actually my email is ...").

Why: people fix earlier answers in their own words, at any question. Without this,
"actually my phone is 555 123 4567" typed at the ZIP question would be rejected as
a bad ZIP code. A correction names the field and, usually, the new value; with no
value ("change my phone") the intake simply asks that question again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longer phrases first so that "best time" is not read as "time" of something else.
FIELD_WORDS: tuple[tuple[str, str], ...] = (
    (r"e-?mail(?: address)?", "email"),
    (r"(?:phone|cell|mobile|telephone)(?: number)?|number", "phone"),
    (r"zip(?: ?code)?|postal code|zipcode", "zip_code"),
    (r"(?:full |last |first )?name", "full_name"),
    (r"best time(?: to (?:call|reach|contact) me)?|time to (?:call|reach|contact)", "best_time"),
    (
        r"contact (?:method|preference)|way to contact me|how (?:you|to) contact me",
        "contact_method",
    ),
    (r"mri date|date of (?:my |the )?mri|when (?:my|the) mri was taken", "mri_taken"),
    (r"mri region|(?:region|area|part) of (?:my |the )?(?:mri|scan)", "mri_region"),
    (r"symptoms?", "symptoms"),
    (r"treatments?(?: tried)?", "treatments_tried"),
    (r"duration|how long", "symptom_duration"),
)
_FIELDS = "|".join(f"(?P<f{i}>{pattern})" for i, (pattern, _) in enumerate(FIELD_WORDS))

_PATTERNS = (
    # "the email was wrong", "my phone is wrong"
    re.compile(rf"^(?:my|the)\s+(?:{_FIELDS})\s+(?:is|was)\s+wrong[.!]?$", re.IGNORECASE),
    # "actually my email is x", "sorry, my phone number should be y", "my zip is actually z"
    re.compile(
        rf"^(?:(?:actually|sorry|oops|wait|no|correction|oh)[\s,.!:-]+)*(?:my|the)\s+(?:{_FIELDS})"
        rf"\s+(?:is|should be|was|=|:)\s+(?:actually\s+|really\s+)?(?P<value>.+)$",
        re.IGNORECASE,
    ),
    # "change my phone to y", "update the email: x", "fix my zip"
    re.compile(
        rf"^(?:please\s+|can you\s+|could you\s+|i(?:'d| would) like to\s+|i want to\s+)?"
        rf"(?:change|update|fix|correct|edit)\s+(?:my|the)\s+(?:{_FIELDS})"
        rf"(?:\s*(?:to|:|=|,)\s*(?P<value>.+))?[.!]?$",
        re.IGNORECASE,
    ),
)


@dataclass(frozen=True)
class Correction:
    """The field to change and, when the person gave it, the new value as typed."""

    field: str
    value: str | None


def parse_correction(text: str) -> Correction | None:
    """Read a correction out of a message, or None when the message is not one."""
    cleaned = " ".join((text or "").split())
    if not cleaned or len(cleaned) > 500:
        return None
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        groups = match.groupdict()
        for i, (_, field) in enumerate(FIELD_WORDS):
            if groups.get(f"f{i}"):
                value = (groups.get("value") or "").strip().rstrip(".!") or None
                return Correction(field, value)
    return None
