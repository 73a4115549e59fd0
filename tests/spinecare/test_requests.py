"""The one declaration of a request (spinecare/requests.py) against what really shows it.

Why against the real renderings: the field lists are derived from the declaration, so
comparing one list with another proves little. What must hold is that a field declared
for an output is in what that output produces (the export's CSV and JSON, the webhook
body built from a stored request, the email with details on, the console's and the
CLI's detail labels), that a field not declared for it stays out, and that the
database agrees with the declaration. Then `validate_submission`, the one check of a
submission, refuses what it must with the messages the declaration gives.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import CheckConstraint, String

from spinecare import cli, requests, settings
from spinecare.cli import requests_cmds
from spinecare.console import app as console
from spinecare.console.views import requests as console_requests
from spinecare.delivery import email, webhook
from spinecare.delivery.common import Job
from spinecare.intake import flow
from spinecare.intake.consent import callback_consent_record, consent_record
from spinecare.requests import CALLBACK, MRI_REVIEW, InvalidSubmission
from spinecare.storage import db, messaging, repository, schema
from spinecare.storage.models import PatientRequest
from tests.support.requests import callback_fields as shared_callback_fields
from tests.support.requests import mri_review_fields

TODAY = date(2026, 11, 30)


def mri_fields(**overrides):
    """Every field filled, values unlike any other output's, so each is found in output."""
    return mri_review_fields(
        **{
            "symptom_entities": ["entity-sciatica"],
            "contact_method": "text",
            "conversation_id": "conv-declaration-mri",
            "sender": "messenger:424242",
            **overrides,
        }
    )


def callback_fields(**overrides):
    return shared_callback_fields(
        **{
            "email": "pm@mail.example",
            "conversation_id": "conv-declaration-cb",
            "sender": "+14155550199",
            **overrides,
        }
    )


# --- a stored request of each type, every field it takes filled -----------------------


@pytest.fixture
def database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'requests.db'}"
    schema.migrate(url, settings.load())
    return url


@pytest.fixture
def stored(database_url):
    """{request type: the stored request}, each opted out of texts so that this shows too."""
    engine = db.make_engine(database_url)
    session = db.make_session_factory(engine)()
    try:
        references = {
            MRI_REVIEW: repository.submit_request(session, mri_fields(), "mri", outbox_kinds=()),
            CALLBACK: repository.submit_callback(session, callback_fields(), "cb", outbox_kinds=()),
        }
        for fields in (mri_fields(), callback_fields()):
            messaging.record_opt_out(session, fields["phone"], "sms", "keyword")
        found = {kind: repository.get_request(session, ref) for kind, ref in references.items()}
        assert all(request.messages_opted_out for request in found.values())
        yield found
    finally:
        session.close()
        engine.dispose()


def holder(stored, name: str) -> PatientRequest:
    """The stored request that has a value for `name` (an MRI review unless only a call-back)."""
    field = requests.BY_NAME[name]
    return stored[CALLBACK if field.accepted_by == {CALLBACK} else MRI_REVIEW]


def declared(output: str) -> list[str]:
    return [field.name for field in requests.FIELDS if output in field.outputs]


def not_declared(output: str) -> list[requests.Field]:
    return [field for field in requests.FIELDS if output not in field.outputs]


# --- the declaration itself ---------------------------------------------------------


def test_every_field_is_declared_once_with_known_kinds_outputs_and_types():
    names = [field.name for field in requests.FIELDS]
    assert len(names) == len(set(names))
    outputs = {requests.CONSOLE, requests.CLI, requests.EXPORT, requests.WEBHOOK, requests.EMAIL}
    for field in requests.FIELDS:
        assert field.kind in {"text", "flag", "choice", "month", "moment", "list"}, field.name
        assert field.outputs <= outputs, field.name
        assert field.required_by <= field.accepted_by <= set(requests.REQUEST_TYPES), field.name
        assert (field.kind == "choice") == bool(field.choices), field.name
        assert field.check is None or field.kind == "text", field.name
        for output, before in field.placed_before:
            assert output in field.outputs and output in requests.BY_NAME[before].outputs
        for _request_type, choices in field.choices_for:
            assert set(choices) <= set(field.choices), field.name


def test_the_table_has_a_column_for_every_declared_field_and_no_other():
    columns = {column.key: column for column in PatientRequest.__table__.columns}
    # Keyed hashes of encrypted personal fields, for exact lookups (issue 12).
    lookups = {name for name in columns if name.endswith("_hash")}
    assert {name.removesuffix("_hash") for name in lookups} <= set(requests.personal_fields())
    # messages_opted_out is read from the opt-out table with every request.
    assert set(columns) - {"id"} - lookups == set(requests.BY_NAME) - {"messages_opted_out"}
    for field in requests.FIELDS:
        if field.name not in columns:
            continue
        column_type = columns[field.name].type
        if field.max_length is not None and isinstance(column_type, String) and column_type.length:
            assert field.max_length == column_type.length, field.name
        if field.kind == "choice" and not field.personal:  # personal: encrypted Text
            assert max(len(choice) for choice in field.choices) <= column_type.length


def test_the_table_checks_every_choice_field_against_its_declared_choices():
    checks = [
        str(constraint.sqltext)
        for constraint in PatientRequest.__table__.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    for column, choices in requests.choice_constraints():
        (check,) = [c for c in checks if c.startswith(f"{column} IN (")]
        assert check == f"{column} IN ({', '.join(repr(choice) for choice in choices)})"


def test_the_consent_records_give_exactly_the_declared_consent_fields():
    consent_fields = {f.name for f in requests.FIELDS if f.source == requests.CONSENT}
    assert set(consent_record("socketio")) == consent_fields
    assert set(callback_consent_record("socketio")) == consent_fields


def test_the_intake_form_has_a_slot_for_every_field_it_hands_over():
    assert set(requests.form_fields(MRI_REVIEW)) <= set(flow.ALL_SLOTS)


# --- each output carries exactly its declared fields --------------------------------


def test_the_export_has_a_column_for_every_export_field_in_json_and_csv(
    stored, database_url, monkeypatch, capsys
):
    monkeypatch.setenv("SPINECARE_DATABASE_URL", database_url)
    expected = list(requests.output_fields(requests.EXPORT))
    assert sorted(expected) == sorted(declared(requests.EXPORT))

    assert cli.main(["requests", "export", "--format", "json", "--actor", "test"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [list(row) for row in rows] == [expected, expected]
    by_type = {row["request_type"]: row for row in rows}
    for name in expected:
        value = by_type[holder(stored, name).request_type][name]
        assert value not in (None, "", []), name

    assert cli.main(["requests", "export", "--format", "csv", "--actor", "test"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert table[0] == expected

    console_table = list(csv.reader(io.StringIO(console_requests.csv_text(rows).lstrip("\ufeff"))))
    assert console_table[0] == expected


def test_the_webhook_body_of_a_stored_request_carries_every_webhook_field(stored):
    # Where the body puts the fields it does not keep under "request".
    top = {"reference", "request_type", "created_at"}
    consent = {"consent": "given", "consent_version": "version"}
    consent |= {"consented_at": "consented_at", "channel": "channel"}
    assert set(webhook.ENVELOPE_FIELDS) == top and set(webhook.CONSENT_FIELDS) == set(consent)

    bodies = {}
    for kind, request in stored.items():
        job = Job(1, "webhook", request.reference, "key", f"{kind}.created", 1, request.created_at)
        bodies[kind] = webhook.build_body(job, request)
        assert set(bodies[kind]["request"]) - {"consent"} <= set(declared(requests.WEBHOOK))
    for name in declared(requests.WEBHOOK):
        body = bodies[holder(stored, name).request_type]
        if name in top:
            value = body[name]
        elif name in consent:
            value = body["request"]["consent"][consent[name]]
        else:
            value = body["request"][name]
        assert value not in (None, "", []), name

    for field in not_declared(requests.WEBHOOK):
        for kind, body in bodies.items():
            assert field.name not in body and field.name not in body["request"], field.name
            value = getattr(stored[kind], field.name)
            if isinstance(value, str) and len(value) > 3:
                assert value not in webhook.encode(body).decode(), field.name


def test_the_email_with_details_shows_every_email_field_and_nothing_else(stored):
    config = dataclasses.replace(
        settings.load(),
        email_include_details=True,
        smtp_from="spinecare@practice.example",
        smtp_recipients=("consultants@practice.example",),
        console_url="https://console.practice.example",
    )
    bodies = {}
    for kind, request in stored.items():
        job = Job(1, "email", request.reference, "key", f"{kind}.created", 1, request.created_at)
        bodies[kind] = email.build_message(job, request, config).get_content()

    # The lines every email has, whatever the setting, as build_message writes them.
    mri = stored[MRI_REVIEW]
    header_lines = {
        "reference": f"Reference:    {mri.reference}",
        "request_type": "Request type: MRI review",
        "created_at": f"Received:     {mri.created_at:%Y-%m-%d %H:%M} UTC",
        "contact_method": "Contact by:   text",
        "best_time": "Best time:    morning",
        "messages_opted_out": "Texts:        opted out",
    }
    assert set(email.HEADER_FIELDS) == set(header_lines)
    labels = dict(requests.labels(requests.EMAIL))
    for name in declared(requests.EMAIL):
        body = bodies[holder(stored, name).request_type]
        if name in header_lines:
            assert header_lines[name] in body, name
        else:
            assert f"\n{labels[name]}: " in body.replace("\r\n", "\n"), name
    assert "MRI taken: 2026-08" in bodies[MRI_REVIEW]

    for field in not_declared(requests.EMAIL):
        for kind, body in bodies.items():
            text = body.replace("\r\n", "\n")
            assert f"\n{field.label}:" not in text, field.name
            value = getattr(stored[kind], field.name)
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str) and len(item) > 3:
                    assert item not in text, field.name


def console_page(request: PatientRequest) -> str:
    """The console's detail page of `request`, rendered as its view renders it."""
    template = console._templates().get_template("request.html")
    fields = console_requests.request_fields(request)
    context = {"request": request, "fields": fields, "jobs": [], "notice": ""}
    return template.render(**context, user=None, csrf_token="token")


# How the console shows a field other than as a labelled line of the detail page.
CONSOLE_NOTICES = {"messages_opted_out": "opted out of text messages (STOP)"}


def test_the_console_detail_page_shows_every_console_field_under_its_label(stored):
    pages = {kind: console_page(request) for kind, request in stored.items()}
    for name, label in requests.labels(requests.CONSOLE):
        page = pages[holder(stored, name).request_type]
        if name in CONSOLE_NOTICES:
            assert CONSOLE_NOTICES[name] in page, name
            continue
        line = re.search(
            rf'<dt>{re.escape(label)}</dt>\s*<dd data-field="{name}">([^<]*)</dd>', page
        )
        assert line, name
        assert line.group(1) != "-", name
    for page in pages.values():
        shown = re.findall(r'<dd data-field="([a-z_]+)">', page)
        assert set(shown) <= set(requests.output_fields(requests.CONSOLE))


def test_the_cli_shows_every_cli_field_under_its_label_and_no_other(stored):
    for request in stored.values():
        text = requests_cmds.format_request(request)
        shown = [line.split(":", 1)[0] for line in text.splitlines() if not line.startswith(" ")]
        assert shown == [label for _, label in requests.labels(requests.CLI)]
        assert "Texts opted out: yes" in " ".join(text.split())


# --- validate_submission --------------------------------------------------------------


def problems_of(fields, request_type=MRI_REVIEW) -> tuple[str, ...]:
    with pytest.raises(InvalidSubmission) as caught:
        requests.validate_submission(fields, request_type, TODAY)
    return caught.value.problems


def test_a_complete_submission_gives_a_value_for_every_field_its_type_takes():
    for request_type, fields in ((MRI_REVIEW, mri_fields()), (CALLBACK, callback_fields())):
        values = requests.validate_submission(fields, request_type, TODAY)
        assert set(values) == {f.name for f in requests.submitted_fields(request_type)}
    values = requests.validate_submission(callback_fields(), CALLBACK, TODAY)
    assert values["patient_notes"] == "Numb toes since the weekend."
    assert values["contact_method"] == "call"


# One value each check refuses; a field declared with a check must be listed here.
REFUSED = {
    "phone": "212 555 0182",
    "email": "not-an-address",
    "zip_code": "1234",
    "state": "N1",
    "sender": "someone",
}


def test_every_checked_field_has_a_refused_example():
    checked = {field.name for field in requests.FIELDS if field.check is not None}
    assert checked == set(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_check_refuses_with_its_rule_and_never_the_value(name):
    field = requests.BY_NAME[name]
    problems = problems_of(mri_fields(**{name: REFUSED[name]}))
    assert f"{name} {field.rule}" in problems
    assert REFUSED[name] not in str(InvalidSubmission(problems))


@pytest.mark.parametrize(
    ("name", "value", "stored_as"),
    [
        ("phone", "+12125550182", "+12125550182"),
        ("email", "Jon.Doe@mail.com", "Jon.Doe@mail.com"),
        ("zip_code", "10001", "10001"),
        ("state", "ny", "NY"),
        ("sender", "+12125550182", "+12125550182"),
        ("sender", "messenger:123", "messenger:123"),
        ("first_name", "  O'Hara & <b>Sons</b> ", "O'Hara & <b>Sons</b>"),
    ],
)
def test_accepted_values_are_stored_stripped_and_normalised(name, value, stored_as):
    values = requests.validate_submission(mri_fields(**{name: value}), MRI_REVIEW, TODAY)
    assert values[name] == stored_as


def test_the_rules_between_fields_have_their_messages():
    cases = [
        ({"adult": False}, "adult must be true: the MRI review is only for adults"),
        ({"consent": False}, "consent must be true: a request is only stored with consent"),
        (
            {"contact_method": "email", "email": None},
            "email is required when contact_method is email",
        ),
        ({"state": None, "zip_code": None}, "state (or a known zip_code) is required"),
        ({"treatments_tried": ["none", "surgery"]}, "treatments_tried cannot combine none"),
        ({"treatments_tried": ["bogus"]}, "treatments_tried must use physical_therapy"),
        ({"contact_method": "pigeon"}, "contact_method must be one of call, text, email"),
        ({"mri_taken": "last march"}, "mri_taken must be a date (YYYY-MM-DD)"),
        ({"consented_at": datetime(2026, 11, 25)}, "consented_at must be a timezone-aware"),
        ({"adult": "yes"}, "adult must be true or false"),
        ({"symptom_entities": "sciatica"}, "symptom_entities must be a list"),
        ({"first_name": 7}, "first_name must be text"),
    ]
    for overrides, message in cases:
        assert any(p.startswith(message) for p in problems_of(mri_fields(**overrides))), message
    assert problems_of(callback_fields(contact_method="text"), CALLBACK) == (
        "contact_method must be one of call",
    )


def test_derived_values_state_from_zip_and_the_age_of_the_mri():
    values = requests.validate_submission(
        mri_fields(state=None, mri_older_than_two_years=None, mri_taken="2024-10"),
        MRI_REVIEW,
        TODAY,
    )
    assert values["state"] == "NY"
    assert values["mri_older_than_two_years"] is True
    assert values["consented_at"].tzinfo is timezone.utc


@pytest.mark.parametrize("request_type", [MRI_REVIEW, CALLBACK])
def test_unknown_fields_are_refused_by_name_only(request_type):
    fields = mri_fields() if request_type == MRI_REVIEW else callback_fields()
    fields["favourite_colour"] = "Zebediah-blue"
    problems = problems_of(fields, request_type)
    assert problems == ("unknown field(s): favourite_colour",)
    assert "Zebediah-blue" not in str(InvalidSubmission(problems))


def test_a_field_of_the_other_request_type_is_unknown():
    assert problems_of(callback_fields(symptoms="Numb toes"), CALLBACK) == (
        "unknown field(s): symptoms",
    )
    assert "unknown field(s): notes" in problems_of(mri_fields(notes="x"))


@pytest.mark.parametrize("request_type", [MRI_REVIEW, CALLBACK])
def test_every_required_field_missing_is_refused(request_type):
    complete = mri_fields() if request_type == MRI_REVIEW else callback_fields()
    required = [f for f in requests.submitted_fields(request_type) if request_type in f.required_by]
    assert required
    for field in required:
        for missing in (None, "  ") if field.kind == "text" else (None,):
            fields = {**complete, field.submitted_name: missing}
            assert f"{field.submitted_name} is required" in problems_of(fields, request_type)
        fields = {k: v for k, v in complete.items() if k != field.submitted_name}
        assert f"{field.submitted_name} is required" in problems_of(fields, request_type)


def test_optional_fields_may_be_left_out():
    for request_type, complete in ((MRI_REVIEW, mri_fields()), (CALLBACK, callback_fields())):
        for field in requests.submitted_fields(request_type):
            if request_type in field.required_by:
                continue
            fields = {k: v for k, v in complete.items() if k != field.submitted_name}
            if field.name == "email":
                fields["contact_method"] = "call" if request_type == MRI_REVIEW else None
            fields = {k: v for k, v in fields.items() if v is not None}
            requests.validate_submission(fields, request_type, TODAY)


@pytest.mark.parametrize(
    "field",
    [f for f in requests.FIELDS if f.max_length is not None and f.accepted_by],
    ids=lambda field: field.name,
)
def test_text_longer_than_its_maximum_is_refused_and_the_maximum_is_accepted(field):
    request_type = MRI_REVIEW if MRI_REVIEW in field.accepted_by else CALLBACK
    complete = mri_fields() if request_type == MRI_REVIEW else callback_fields()
    too_long = "a" * (field.max_length + 1)
    problems = problems_of({**complete, field.submitted_name: too_long}, request_type)
    assert f"{field.submitted_name} is longer than {field.max_length} characters" in problems
    if field.check is None:
        longest = "a" * field.max_length
        values = requests.validate_submission(
            {**complete, field.submitted_name: longest}, request_type, TODAY
        )
        assert values[field.name] == longest
