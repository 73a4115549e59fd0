"""Corrections in the patient's own words."""

import pytest

from spinecare.intake.corrections import Correction, parse_correction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actually my email is Jon.Doe@Mail.com", Correction("email", "Jon.Doe@Mail.com")),
        ("sorry, my phone number should be 212 555 0182", Correction("phone", "212 555 0182")),
        ("my zip is actually 10001", Correction("zip_code", "10001")),
        ("change my phone", Correction("phone", None)),
        ("Change my phone to 555 123 4567", Correction("phone", "555 123 4567")),
        ("please update the email: a@b.co", Correction("email", "a@b.co")),
        ("the email was wrong", Correction("email", None)),
        ("change my best time", Correction("best_time", None)),
        ("change my ZIP code", Correction("zip_code", None)),
        ("change my name", Correction("full_name", None)),
    ],
)
def test_corrections_are_recognised(text, expected):
    assert parse_correction(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I have pain in my lower back",
        "my symptoms are worse at night",
        "555 123 4567",
        "yes",
        "",
        "x" * 600,
    ],
)
def test_ordinary_answers_are_not_corrections(text):
    assert parse_correction(text) is None
