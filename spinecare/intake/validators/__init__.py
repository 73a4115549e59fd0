"""Validators for the MRI review intake: the patient's raw text in, a clean value or a reason out.

Why pure functions of text: the same rules must hold in a chat form, in a web form
and in tests, and a validator that touches Rasa, a database or the clock cannot be
checked exhaustively. Dates take `today` as an argument for the same reason.

Every validator returns `Valid(value, extra)` or `Invalid(reason)` and never raises,
whatever the text: a patient who types something odd gets a sentence saying what to
type instead, not a crash. Reasons never repeat what the patient typed, so a caller
that logs a reason does not log personal data.

Texts are read the way people answer a question in chat ("my name is Jon Doe",
"PT and a couple of injections", "about three months ago"), not as form fields.

Why a package: the rules for each kind of answer are long and change separately, so
they live in one module per concern (`yes_no`, `text`, `contact`, `dates`, `clinical`,
with the shared reading helpers in `common` and the result type in `result`). Callers
import from here: `from spinecare.intake import validators; validators.validate_zip(...)`.
"""

from spinecare.intake.validators.clinical import (
    MRI_REGIONS,
    OTHER_TREATMENT_PREFIX,
    TREATMENTS,
    validate_mri_region,
    validate_treatments,
)
from spinecare.intake.validators.common import without_sign_off
from spinecare.intake.validators.contact import (
    BEST_TIMES,
    CONTACT_METHODS,
    ZipLocation,
    chooses_contact_method,
    names_a_time_of_day,
    phone_in_two_parts,
    validate_best_time,
    validate_contact_method,
    validate_email,
    validate_phone,
    validate_zip,
    with_last_digits,
    zip_confirmed_with_its_zero,
    zip_missing_its_zero,
)
from spinecare.intake.validators.dates import (
    EARLIEST_MRI_YEAR,
    validate_mri_date,
    validate_symptom_duration,
)
from spinecare.intake.validators.result import Invalid, Result, Valid
from spinecare.intake.validators.text import (
    NAME_MAX_CHARS,
    NAME_PART_MAX_CHARS,
    NAME_SUFFIXES,
    SYMPTOMS_MAX_CHARS,
    SYMPTOMS_MIN_CHARS,
    PersonName,
    plain_letters,
    validate_last_name,
    validate_name,
    validate_symptoms,
)
from spinecare.intake.validators.yes_no import (
    opens_with_yes_or_no,
    parse_yes_no,
    validate_adult,
    validate_consent,
    validate_has_mri,
)

__all__ = [
    "BEST_TIMES",
    "CONTACT_METHODS",
    "EARLIEST_MRI_YEAR",
    "MRI_REGIONS",
    "NAME_MAX_CHARS",
    "NAME_PART_MAX_CHARS",
    "NAME_SUFFIXES",
    "OTHER_TREATMENT_PREFIX",
    "SYMPTOMS_MAX_CHARS",
    "SYMPTOMS_MIN_CHARS",
    "TREATMENTS",
    "Invalid",
    "PersonName",
    "Result",
    "Valid",
    "ZipLocation",
    "chooses_contact_method",
    "names_a_time_of_day",
    "opens_with_yes_or_no",
    "parse_yes_no",
    "phone_in_two_parts",
    "plain_letters",
    "validate_adult",
    "validate_best_time",
    "validate_consent",
    "validate_contact_method",
    "validate_email",
    "validate_has_mri",
    "validate_last_name",
    "validate_mri_date",
    "validate_mri_region",
    "validate_name",
    "validate_phone",
    "validate_symptom_duration",
    "validate_symptoms",
    "validate_treatments",
    "validate_zip",
    "with_last_digits",
    "without_sign_off",
    "zip_confirmed_with_its_zero",
    "zip_missing_its_zero",
]
