"""The log redaction keeps what helps an operator and nothing a patient typed."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from spinecare import logsafety

PATIENT = "Maria Quixley 99501"


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        (f"Received user message '{PATIENT}' with intent 'inform'", "Received user message"),
        (f'Validating extracted slots: {{"full_name": "{PATIENT}"}}', "Validating extracted"),
        (f"Action 'action_listen' ended with events '[BotUttered(\"{PATIENT}\")]'",
         "Action 'action_listen' ended with events"),
        (f"2026 [debug] processor.message.parse parse_data_text={PATIENT}",
         "processor.message.parse"),
        (json.dumps({"event": "rest.message.received.failure", "text": PATIENT}),
         "rest.message.received.failure"),
        (f"file.py:12: UserWarning: Parsed an intent '/{PATIENT}' which is not in the domain",
         "file.py:12:"),
        (f"Error: {PATIENT}", "Error:"),
        (f"line one\n{PATIENT}", "line one"),
        (f"[2026-12-01 21:03:12 +0000] [INFO] [99501] {PATIENT}", "[INFO]"),
    ],
)  # fmt: skip
def test_library_messages_are_cut_before_any_data(message, kept):
    redacted = logsafety.redact_message(message)
    assert kept in redacted and "Quixley" not in redacted and "99501" not in redacted


def test_plain_operational_messages_pass_unchanged():
    assert logsafety.redact_message("Rasa server is up and running.") == (
        "Rasa server is up and running."
    )
    assert "'utter_greet'" in logsafety.redact_message("Predicted next action 'utter_greet'.")


def test_exceptions_keep_frames_and_types_but_not_messages():
    try:
        int(PATIENT)
    except ValueError:
        record = logging.LogRecord("rasa.core", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
    logsafety.sanitize(record)
    text = logging.Formatter().format(record)
    assert "builtins.ValueError" in text and "test_logsafety.py" in text
    assert "Quixley" not in text


def test_installed_in_a_process_every_logger_and_warning_is_redacted():
    code = f"""
import logging, warnings, sys
from spinecare import logsafety
logsafety.install()
logging.basicConfig(stream=sys.stdout, level=logging.DEBUG)
logging.getLogger("rasa.core.processor").debug("Received user message '{PATIENT}'")
logging.getLogger("sanic.error").error("oops", exc_info=ValueError("{PATIENT}"))
warnings.warn("Parsed an intent '/{PATIENT}'")
logging.getLogger("spinecare.events").info('{{"event": "ok"}}')
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    output = result.stdout + result.stderr
    assert "Received user message" in output and '{"event": "ok"}' in output
    assert "Quixley" not in output
