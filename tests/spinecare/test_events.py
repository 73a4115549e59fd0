"""Structured logs accept only non-personal fields."""

import json
import logging

import pytest

from spinecare.events import log_event


def test_event_is_one_json_line_keyed_by_conversation(caplog):
    with caplog.at_level(logging.INFO, logger="spinecare.events"):
        log_event("intake_submitted", "conv-1", reference="MRI-7KQ2-91", outcome="stored")
    (record,) = caplog.records
    line = json.loads(record.getMessage())
    assert line["event"] == "intake_submitted"
    assert line["conversation_id"] == "conv-1"
    assert line["reference"] == "MRI-7KQ2-91"


@pytest.mark.parametrize("field", ["email", "phone", "first_name", "symptoms", "text"])
def test_personal_fields_are_refused(field):
    with pytest.raises(ValueError, match="not allowed in logs"):
        log_event("oops", "conv-1", **{field: "x"})
