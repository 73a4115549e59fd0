"""Intake for the free MRI review: turning what a patient types into clean fields.

The validators are pure functions of the patient's text (and, for dates, of
"today"), so the form logic in Rasa actions stays a thin adapter and every rule
about what counts as a valid phone, ZIP or MRI date is testable without Rasa.
"""

from spinecare.intake.validators import Invalid, Result, Valid

__all__ = ["Invalid", "Result", "Valid"]
