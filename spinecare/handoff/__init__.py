"""Putting a patient in touch with a person: opening hours and call-back requests."""
