"""The once-checked schema accepts and refuses exactly what Rasa's own check does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from spinecare import schema_check

SCHEMA = RemoteAction.action_response_format_spec()
GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "phone", "value": None}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "active_loop", "name": None}], "responses": []},
]
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot"}], "responses": []},  # a slot event without its name
    {"events": [], "responses": ["not an object"]},
    {"events": [{"event": "no_such_event"}], "responses": []},
]


@pytest.mark.parametrize("answer", GOOD)
def test_answers_rasa_accepts_are_accepted(answer):
    schema_check._original_validate(answer, SCHEMA)
    schema_check.validate(answer, SCHEMA)


@pytest.mark.parametrize("answer", BAD)
def test_answers_rasa_refuses_are_refused_with_the_same_error(answer):
    with pytest.raises(jsonschema.ValidationError) as original:
        schema_check._original_validate(answer, SCHEMA)
    with pytest.raises(jsonschema.ValidationError) as ours:
        schema_check.validate(answer, SCHEMA)
    assert ours.value.message == original.value.message


def test_a_broken_schema_is_still_refused():
    with pytest.raises(jsonschema.SchemaError):
        schema_check.validate({}, {"type": 12})


def test_installing_replaces_what_rasa_imports(monkeypatch):
    monkeypatch.setattr(jsonschema, "validate", schema_check._original_validate)
    schema_check.install()
    from jsonschema import validate

    assert validate is schema_check.validate
