"""Shared steps of the intake conversation tests: the happy-path answers and reading rows back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from spinecare.scenarios import RestConversation

SPINECARE = Path(sys.executable).with_name("spinecare")

HAPPY_ANSWERS = [
    ("I'd like the free MRI review", "first and last name"),
    ("Jon Doe", "18 or older"),
    ("yes", "Have you had an MRI"),
    ("yes", "when was your MRI taken"),
    ("about three months ago", "Which part of your spine"),
    ("lower back", "main symptoms"),
    ("shooting pain down my left leg and numbness in my foot", "How long"),
    ("about three months", "treatments"),
    ("PT and a couple of injections", "phone number"),
    ("555 123 4567", "email"),
    ("Jon.Doe@Mail.com", "ZIP code"),
    ("10001", "How would you like"),
    ("text", "best time"),
    ("morning", "Is everything correct?"),
]


def export(database_url: str) -> list[dict]:
    result = subprocess.run(
        [str(SPINECARE), "requests", "export", "--format", "json", "--actor", "test"],
        env={**os.environ, "SPINECARE_DATABASE_URL": database_url},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(result.stdout)


def rows_for(database_url: str, conversation: RestConversation) -> list[dict]:
    return [r for r in export(database_url) if r["conversation_id"] == conversation.sender]


def answer_all(conversation: RestConversation, answers) -> None:
    for text, expected in answers:
        reply = conversation.say(text)
        assert expected.lower() in reply.text.lower(), (text, reply.text)
