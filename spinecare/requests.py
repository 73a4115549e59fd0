"""One declaration of a stored request: every field, what it may hold, and who sees it.

Why one place: a request's fields used to be written out seven times (the repository's
required/optional lists and labels, the export, the webhook and email field lists, the
form's submission, the database's CHECK constraints), each free to drift from the
others. Here each field is declared once with its label, kind, maximum length,
allowed values, which request types take it (and require it), whether it is personal
data, and which outputs carry it. Everything else is derived:

- `validate_submission`: the one check of a submission (for both request types), with
  the problems it names: the intake's validators have already normalised the values,
  so this is the store's last line, not a second conversation;
- `submitted_fields`, `form_fields`: what a request type accepts and what the intake
  form hands over from its slots;
- `labels`, `output_fields`: the console and CLI labels, the export columns, the
  webhook body and the email's detail lines;
- `choice_constraints`: the CHECK constraints of `spinecare.storage.models`.

A test fails when a field is declared without appearing in an output that should carry
it, or when the database disagrees with the declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from spinecare.intake import validators

MRI_REVIEW = "mri_review"
CALLBACK = "callback"
REQUEST_TYPES = (MRI_REVIEW, CALLBACK)
REQUEST_TYPE_LABELS = {MRI_REVIEW: "MRI review", CALLBACK: "callback"}  # as in a sentence
STATUSES = ("new", "contacted", "closed")

# Outputs a field may be carried by.
# The console's detail page, `spinecare requests show`, the export (CSV and JSON), the
# webhook body and the notification email's detail lines.
CONSOLE, CLI, EXPORT, WEBHOOK, EMAIL = "console", "cli", "export", "webhook", "email"
BOTH = frozenset(REQUEST_TYPES)
MRI_ONLY = frozenset({MRI_REVIEW})
CALLBACK_ONLY = frozenset({CALLBACK})
ALL_OUTPUTS = frozenset({CONSOLE, CLI, EXPORT, WEBHOOK, EMAIL})
STAFF_OUTPUTS = frozenset({CONSOLE, CLI, EXPORT})  # internal: not sent outside the practice

# Where the intake form's value of a field comes from.
SLOT, CONSENT, CONVERSATION = "slot", "consent", "conversation"

OTHER_TREATMENT = validators.OTHER_TREATMENT_PREFIX
_E164 = re.compile(r"\+[1-9]\d{7,14}")
_SENDER = re.compile(r"\+[1-9]\d{7,14}|messenger:\d{1,40}")


class InvalidSubmission(ValueError):
    """The fields cannot be stored; `problems` names fields, never their values."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("cannot store the request: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Field:
    """One field of a stored request.

    `kind` is text, flag, choice, month, moment or list. `check` (text fields) turns a
    submitted value into the stored one, or returns None when it is not acceptable and
    the problem is "<field> <rule>". `submitted_as` is the name a submitter uses when it
    differs from the column (a call-back's "notes").

    The exceptions to "one label, one set of choices, declaration order" are declared
    here too, as (output or request type, value) pairs: `output_labels` where an output
    names the field differently (the email's "MRI taken"), `placed_before` where an
    output keeps the order it was published with (export columns, webhook fields),
    `choices_for` and `default_for` where a request type narrows a choice (a call-back
    is always a call).
    """

    name: str
    label: str
    kind: str = "text"
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    accepted_by: frozenset[str] = frozenset()
    required_by: frozenset[str] = frozenset()
    outputs: frozenset[str] = STAFF_OUTPUTS
    personal: bool = False
    source: str | None = None
    check: Callable[[str], Any] | None = None
    rule: str = "is not valid"
    submitted_as: str | None = None
    output_labels: tuple[tuple[str, str], ...] = ()
    placed_before: tuple[tuple[str, str], ...] = ()
    choices_for: tuple[tuple[str, tuple[str, ...]], ...] = ()
    default_for: tuple[tuple[str, Any], ...] = ()

    @property
    def submitted_name(self) -> str:
        return self.submitted_as or self.name

    def label_in(self, output: str) -> str:
        return dict(self.output_labels).get(output, self.label)

    def choices_in(self, request_type: str) -> tuple[str, ...]:
        return dict(self.choices_for).get(request_type, self.choices)

    def default_in(self, request_type: str) -> Any:
        return dict(self.default_for).get(request_type)


def _phone(value: str) -> str | None:
    return value if _E164.fullmatch(value) else None


def _email(value: str) -> str | None:
    return value if "@" in value else None


def _zip(value: str) -> str | None:
    return value if re.fullmatch(r"\d{5}", value) else None


def _state(value: str) -> str | None:
    value = value.upper()
    return value if re.fullmatch(r"[A-Z]{2}", value) else None


def _sender(value: str) -> str | None:
    return value if _SENDER.fullmatch(value) else None


FIELDS: tuple[Field, ...] = (
    Field("reference", "Reference", outputs=ALL_OUTPUTS),
    Field("request_type", "Type", kind="choice", choices=REQUEST_TYPES, outputs=ALL_OUTPUTS),
    Field("status", "Status", kind="choice", choices=STATUSES),
    Field("created_at", "Received", kind="moment", outputs=ALL_OUTPUTS),
    Field("updated_at", "Updated", kind="moment"),
    Field("first_name", "First name", max_length=50, accepted_by=BOTH, required_by=BOTH,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("last_name", "Last name", max_length=50, accepted_by=BOTH, required_by=BOTH,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("phone", "Phone", max_length=16, accepted_by=BOTH, required_by=BOTH,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT, check=_phone,
          rule="must be in E.164 form, e.g. +12125550182"),
    Field("email", "Email", max_length=254, accepted_by=BOTH, outputs=ALL_OUTPUTS,
          personal=True, source=SLOT, check=_email, rule="must be an email address"),
    Field("zip_code", "ZIP code", max_length=5, accepted_by=MRI_ONLY, outputs=ALL_OUTPUTS,
          personal=True, source=SLOT, check=_zip, rule="must be 5 digits"),
    Field("state", "State", max_length=2, accepted_by=MRI_ONLY, outputs=ALL_OUTPUTS,
          source=SLOT, check=_state, rule="must be a two-letter code"),
    Field("adult", "18 or older", kind="flag", accepted_by=MRI_ONLY, required_by=MRI_ONLY,
          outputs=STAFF_OUTPUTS | {WEBHOOK}, source=SLOT),
    Field("has_mri", "Has an MRI", kind="flag", accepted_by=MRI_ONLY, required_by=MRI_ONLY,
          outputs=ALL_OUTPUTS, source=SLOT),
    Field("mri_taken", "MRI taken (month)", kind="month", accepted_by=MRI_ONLY,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT,
          output_labels=((EMAIL, "MRI taken"),)),
    Field("mri_older_than_two_years", "MRI older than 2 years", kind="flag",
          accepted_by=MRI_ONLY, outputs=ALL_OUTPUTS, source=SLOT),
    Field("mri_region", "MRI region", kind="choice", choices=validators.MRI_REGIONS,
          accepted_by=MRI_ONLY, outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("symptoms", "Symptoms", max_length=validators.SYMPTOMS_MAX_CHARS,
          accepted_by=MRI_ONLY, outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("symptom_entities", "Symptoms noted", kind="list", accepted_by=MRI_ONLY,
          outputs=STAFF_OUTPUTS | {WEBHOOK}, personal=True, source=SLOT),
    Field("symptom_duration", "Symptoms for", max_length=200, accepted_by=MRI_ONLY,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("treatments_tried", "Treatments tried", kind="list", accepted_by=MRI_ONLY,
          outputs=ALL_OUTPUTS, personal=True, source=SLOT),
    Field("patient_notes", "Notes from the person", max_length=1000, accepted_by=CALLBACK_ONLY,
          outputs=ALL_OUTPUTS, personal=True, submitted_as="notes"),
    Field("contact_method", "Contact by", kind="choice", choices=validators.CONTACT_METHODS,
          accepted_by=BOTH, required_by=MRI_ONLY, outputs=ALL_OUTPUTS, source=SLOT,
          choices_for=((CALLBACK, ("call",)),), default_for=((CALLBACK, "call"),),
          placed_before=((WEBHOOK, "zip_code"),)),
    Field("best_time", "Best time", kind="choice", choices=validators.BEST_TIMES,
          accepted_by=BOTH, required_by=BOTH, outputs=ALL_OUTPUTS, source=SLOT,
          placed_before=((WEBHOOK, "zip_code"),)),
    Field("consent", "Consent to contact", kind="flag", accepted_by=BOTH, required_by=BOTH,
          outputs=STAFF_OUTPUTS | {WEBHOOK}, source=CONSENT),
    Field("consent_version", "Consent version", max_length=32, accepted_by=BOTH,
          required_by=BOTH, outputs=STAFF_OUTPUTS | {WEBHOOK}, source=CONSENT),
    Field("consented_at", "Consented at", kind="moment", accepted_by=BOTH,
          outputs=STAFF_OUTPUTS | {WEBHOOK}, source=CONSENT),
    Field("consent_text", "Consent text shown", max_length=5000, accepted_by=BOTH,
          required_by=BOTH, outputs=frozenset({CONSOLE, EXPORT}), source=CONSENT,
          placed_before=((EXPORT, "consented_at"),)),
    Field("channel", "Channel", max_length=32, accepted_by=BOTH, required_by=BOTH,
          outputs=STAFF_OUTPUTS | {WEBHOOK}, source=CONSENT),
    Field("conversation_id", "Conversation", max_length=128, accepted_by=BOTH,
          source=CONVERSATION),
    Field("sender", "Texted from", max_length=64, accepted_by=BOTH, personal=True,
          source=CONVERSATION, check=_sender,
          rule="must be an E.164 number or messenger:<page-scoped id>"),
    Field("messages_opted_out", "Texts opted out", kind="flag", outputs=ALL_OUTPUTS),
    Field("submission_key", "Submission key", outputs=frozenset({CONSOLE})),
)  # fmt: skip
BY_NAME = {field.name: field for field in FIELDS}


def submitted_fields(request_type: str) -> tuple[Field, ...]:
    """The fields a submission of this request type may give, in declaration order."""
    return tuple(field for field in FIELDS if request_type in field.accepted_by)


def form_fields(request_type: str) -> tuple[str, ...]:
    """The fields the intake (or call-back) form hands over from its slots."""
    return tuple(f.name for f in submitted_fields(request_type) if f.source == SLOT)


def fields_of(output: str) -> tuple[Field, ...]:
    """The fields an output carries, in declaration order but for its `placed_before`."""
    fields = [field for field in FIELDS if output in field.outputs]
    for field in [f for f in fields if output in dict(f.placed_before)]:
        fields.remove(field)
        before = BY_NAME[dict(field.placed_before)[output]]
        fields.insert(fields.index(before), field)
    return tuple(fields)


def labels(output: str = CONSOLE) -> tuple[tuple[str, str], ...]:
    """(name, label) of the fields an output shows, in its order."""
    return tuple((field.name, field.label_in(output)) for field in fields_of(output))


def output_fields(output: str) -> tuple[str, ...]:
    """The names of the fields an output carries, in its order."""
    return tuple(field.name for field in fields_of(output))


def personal_fields() -> tuple[str, ...]:
    """The columns that hold personal or health data (issue 12 encrypts them)."""
    return tuple(field.name for field in FIELDS if field.personal)


def choice_constraints() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(column, allowed values) for every choice field: the table's CHECK constraints.

    Personal fields are encrypted at rest (issue 12), so the database cannot check
    them; `validate_submission` still does.
    """
    return tuple(
        (field.name, field.choices)
        for field in FIELDS
        if field.kind == "choice" and not field.personal
    )


# --- the one validation of a submission ---------------------------------------------


def _text_value(field: Field, value: Any, problems: list[str]) -> str | None:
    if not isinstance(value, str):
        problems.append(f"{field.submitted_name} must be text")
        return None
    value = value.strip()
    if field.max_length is not None and len(value) > field.max_length:
        problems.append(f"{field.submitted_name} is longer than {field.max_length} characters")
    if field.check is None:
        return value
    checked = field.check(value)
    if checked is None:
        problems.append(f"{field.submitted_name} {field.rule}")
        return value
    return checked


def _month_value(field: Field, value: Any, problems: list[str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            pass
    problems.append(f"{field.name} must be a date (YYYY-MM-DD)")
    return None


def _moment_value(field: Field, value: Any, problems: list[str]) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problems.append(f"{field.name} must be an ISO 8601 date and time")
            return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        problems.append(f"{field.name} must be a timezone-aware date and time")
        return None
    return value.astimezone(timezone.utc)


def _list_value(field: Field, value: Any, problems: list[str]) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        problems.append(f"{field.name} must be a list")
        return []
    items = list(value)
    if not all(isinstance(item, str) and len(item) <= 100 for item in items):
        problems.append(f"{field.name} must be a list of short texts")
        return []
    return list(dict.fromkeys(items))


def _value(field: Field, value: Any, request_type: str, problems: list[str]) -> Any:
    if field.kind == "flag":
        if not isinstance(value, bool):
            problems.append(f"{field.name} must be true or false")
        return value
    if field.kind == "choice":
        choices = field.choices_in(request_type)
        if value not in choices:
            problems.append(f"{field.name} must be one of {', '.join(choices)}")
        return value
    if field.kind == "month":
        return _month_value(field, value, problems)
    if field.kind == "moment":
        return _moment_value(field, value, problems)
    if field.kind == "list":
        return _list_value(field, value, problems)
    return _text_value(field, value, problems)


def _missing(field: Field, value: Any) -> bool:
    """Not given: None, or a blank text (or date) where the field is text (or a date)."""
    if value is None:
        return True
    blank = isinstance(value, str) and not value.strip()
    return blank if field.kind == "text" else value == "" and field.kind in ("month", "moment")


def validate_submission(
    fields: Mapping[str, Any], request_type: str, today: date
) -> dict[str, Any]:
    """The row values (by column) of a submission, or InvalidSubmission listing every problem.

    Problems name fields, never their values: they end up in logs and error replies.
    """
    declared = submitted_fields(request_type)
    problems: list[str] = []
    unknown = sorted(set(fields) - {field.submitted_name for field in declared})
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for field in declared:
        raw = fields.get(field.submitted_name)
        if _missing(field, raw):
            if request_type in field.required_by:
                problems.append(f"{field.submitted_name} is required")
            default = field.default_in(request_type)
            values[field.name] = [] if field.kind == "list" else default
            continue
        values[field.name] = _value(field, raw, request_type, problems)
    _check_together(values, request_type, today, problems)
    if problems:
        raise InvalidSubmission(problems)
    return values


def _check_together(
    values: dict[str, Any], request_type: str, today: date, problems: list[str]
) -> None:
    """The rules that involve several fields, and the values derived from others."""
    if values.get("consented_at") is None:
        values["consented_at"] = datetime.now(timezone.utc)
    if request_type != MRI_REVIEW:
        if values.get("consent") is False:
            problems.append("consent must be true: a request is only stored with consent")
        return
    if values.get("zip_code") and not values.get("state"):
        located = validators.validate_zip(values["zip_code"])
        if isinstance(located, validators.Valid):
            values["state"] = located.value.state
    if not values.get("state"):
        problems.append("state (or a known zip_code) is required")
    if values.get("adult") is False:
        problems.append("adult must be true: the MRI review is only for adults")
    if values.get("consent") is False:
        problems.append("consent must be true: a request is only stored with consent")
    if values.get("contact_method") == "email" and not values.get("email"):
        problems.append("email is required when contact_method is email")
    treatments = values.get("treatments_tried") or []
    if any(
        t not in validators.TREATMENTS and not t.startswith(OTHER_TREATMENT) for t in treatments
    ):
        problems.append(
            f"treatments_tried must use {', '.join(validators.TREATMENTS)} or 'other: <words>'"
        )
    if "none" in treatments and len(treatments) > 1:
        problems.append("treatments_tried cannot combine none with other treatments")
    if values.get("mri_taken") and values.get("mri_older_than_two_years") is None:
        month = today.replace(day=1)
        values["mri_older_than_two_years"] = values["mri_taken"] < date(
            month.year - 2, month.month, 1
        )
