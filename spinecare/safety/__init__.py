"""Safety net of the assistant: spotting red-flag symptoms in what a patient writes.

Why a package of its own: the rules decide when the assistant stops an intake and sends
a person to emergency care, so they live apart from Rasa (pure spaCy, testable without
a model or a server) and their phrases live in a file clinicians can review.
"""

from spinecare.safety.red_flags import (
    EMERGENCY,
    PATTERNS_FILE,
    URGENT,
    RedFlagFinding,
    RedFlagReader,
    RuleBook,
    load_rule_book,
)

__all__ = [
    "EMERGENCY",
    "PATTERNS_FILE",
    "URGENT",
    "RedFlagFinding",
    "RedFlagReader",
    "RuleBook",
    "load_rule_book",
]
