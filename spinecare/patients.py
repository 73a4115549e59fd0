"""Scripted patients: a persona who answers, in its own words, whatever the assistant asks.

Why personas and not fixed scripts: a real patient answers the question in front of
them. A fixed list of messages breaks as soon as the assistant asks something in a
different order (a safety screen, a re-ask); a persona reads the assistant's last
question, answers it from its own answers, asks its question or types its correction
at the moment it means to, and gives up where a patient would (the same question
three times, an emergency it does not have, a request thrown away). The held-out
personas in tests/eval/patients.yml are replayed through the whole stack over REST by
`make eval` and by the end-to-end tests; what was stored is then compared with what
the patient meant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from spinecare import names
from spinecare.intake.validators import NAME_SUFFIXES
from spinecare.scenarios import Reply

MAX_TURNS = 45
SAME_QUESTION_LIMIT = 3
START_BUTTON = "Start a no-cost MRI review"
START_PAYLOAD = f"/{names.REQUEST_MRI_REVIEW}"

SUBMITTED = "Your reference is MRI-"
EMERGENCY = "call 911"
DISCARDED = ("nothing from it was saved", "I've stopped the request", "haven't saved anything")
SCREEN_SLOT = "safety_screen"


@dataclass(frozen=True)
class Patient:
    """One persona from tests/eval/patients.yml."""

    id: str
    opening: str
    answers: Mapping[str, str]
    expect: Mapping[str, Any]
    question_before: Mapping[str, str] | None = None
    correction_after: Mapping[str, str] | None = None
    screen_answer: str = "no"


@dataclass
class Outcome:
    """How one patient's intake went: the transcript, and why it failed if it did."""

    patient: str
    completed: bool = False
    reference: str | None = None
    failure: str | None = None
    turns: int = 0
    screens: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)
    field_mismatches: list[str] = field(default_factory=list)

    @property
    def as_meant(self) -> bool:
        return self.completed and not self.field_mismatches


def load_patients(path: Path) -> list[Patient]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Patient(
            id=item["id"],
            opening=item["opening"],
            answers=item["answers"],
            expect=item["expect"],
            question_before=item.get("question_before"),
            correction_after=item.get("correction_after"),
            screen_answer=item.get("screen_answer") or "no",
        )
        for item in raw
    ]


def question_texts(domain: Mapping[str, Any]) -> dict[str, str]:
    """Each wording the assistant asks a form question with, mapped to the slot it asks.

    Read from the domain's `utter_ask_<slot>` responses (every variation), so the
    personas follow the assistant's wording as it changes.
    """
    texts = {}
    for name, variations in (domain.get("responses") or {}).items():
        if not name.startswith("utter_ask_") or "/" in name:
            continue
        for variation in variations:
            text = " ".join(str(variation.get("text") or "").split())
            if text:
                texts[text] = name.removeprefix("utter_ask_")
    texts["Is everything correct?"] = "summary_confirmed"
    texts["Do you agree to be contacted about this request?"] = "consent"
    return texts


def asked_slot(reply: Reply, questions: Mapping[str, str]) -> str | None:
    """The form question the reply ends with, or None when it asks none."""
    for message in reversed(reply.messages):
        text = " ".join(str(message.get("text") or "").split())
        for question, slot in questions.items():
            if question in text:
                return slot
    return None


def run_patient(
    patient: Patient, say: Callable[[str], Reply], questions: Mapping[str, str]
) -> Outcome:
    """Talk to the assistant as the patient would, until the request is in or they give up."""
    outcome = Outcome(patient.id)
    asked_counts: dict[str, int] = {}
    question_done = patient.question_before is None
    correction_done = patient.correction_after is None
    answered: set[str] = set()

    def turn(text: str) -> Reply:
        reply = say(text)
        outcome.turns += 1
        outcome.transcript.append((text, reply.text))
        return reply

    reply = turn(patient.opening)
    if asked_slot(reply, questions) != "full_name":
        # A patient who opened with a question or a greeting clicks the start button.
        if START_BUTTON not in reply.buttons:
            reply = turn("I'd like to request the free MRI review")
        else:
            reply = turn(START_PAYLOAD)
    while outcome.turns < MAX_TURNS:
        text = reply.text
        if SUBMITTED in text:
            outcome.completed = True
            outcome.reference = "MRI-" + text.split(SUBMITTED, 1)[1][:7]
            return outcome
        if EMERGENCY in text.lower():
            outcome.failure = "sent to the emergency room"
            return outcome
        if any(phrase in text for phrase in DISCARDED):
            outcome.failure = "request thrown away"
            return outcome
        slot = asked_slot(reply, questions)
        if slot is None and START_BUTTON in reply.buttons and not answered:
            # Not started yet (the opening raised a question or a screen): click start.
            reply = turn(START_PAYLOAD)
            continue
        if slot is None:
            outcome.failure = f"no question asked after {outcome.transcript[-1][0]!r}"
            return outcome
        asked_counts[slot] = asked_counts.get(slot, 0) + 1
        if asked_counts[slot] > SAME_QUESTION_LIMIT + (slot == SCREEN_SLOT):
            outcome.failure = f"asked {slot} {asked_counts[slot]} times"
            return outcome
        if slot == SCREEN_SLOT:
            outcome.screens += 1
            reply = turn(patient.screen_answer)
            continue
        if not correction_done and patient.correction_after["field"] in answered:
            correction_done = True
            reply = turn(patient.correction_after["say"])
            continue
        if not question_done and slot == patient.question_before["field"]:
            question_done = True
            reply = turn(patient.question_before["say"])
            continue
        answer = patient.answers.get(slot)
        if answer is None:
            outcome.failure = f"asked {slot}, which this patient has no answer for"
            return outcome
        answered.add(slot)
        reply = turn(answer)
    outcome.failure = f"not finished after {MAX_TURNS} turns"
    return outcome


def _same_name(stored: Any, expected: Any) -> bool:
    """ "Greene Jr" is right for a patient who meant "Greene": a generational suffix stays
    with the last name (there is no suffix field), and nothing the patient typed is lost."""
    stored_words = str(stored or "").casefold().split()
    expected_words = str(expected).casefold().split()
    while len(stored_words) > len(expected_words) and stored_words[-1] in NAME_SUFFIXES:
        stored_words.pop()
    return stored_words == expected_words


def _same_given_name(stored: Any, expected: Any) -> bool:
    """ "Linda Mae" is right for a patient who meant "Linda": middle names stay with the
    given name (there is no middle-name field), and nothing the patient typed is lost."""
    stored_words = str(stored or "").casefold().split()
    expected_words = str(expected).casefold().split()
    return stored_words[: len(expected_words)] == expected_words


def _same_email(stored: Any, expected: str) -> bool:
    local, _, domain = expected.partition("@")
    s_local, _, s_domain = str(stored or "").partition("@")
    return s_local == local and s_domain.lower() == domain.lower()


def field_mismatches(row: Mapping[str, Any], expect: Mapping[str, Any]) -> list[str]:
    """The ways the stored request differs from what the patient meant."""
    problems = []
    checks: dict[str, Callable[[Any, Any], bool]] = {
        "first_name": _same_given_name,
        "last_name": _same_name,
        "email": _same_email,
    }
    treatments = [str(t).lower() for t in row.get("treatments_tried") or []]
    symptoms = str(row.get("symptoms") or "").lower()
    for key, expected in expect.items():
        if key == "treatments":
            missing = [code for code in expected if code not in treatments]
            if missing:
                problems.append(f"treatments missing {missing} (stored {treatments})")
        elif key == "other_treatments":
            joined = " ".join(treatments)
            missing = [word for word in expected if word.lower() not in joined]
            if missing:
                problems.append(f"other treatments missing {missing} (stored {treatments})")
        elif key == "symptom_words":
            missing = [word for word in expected if word.lower() not in symptoms]
            if missing:
                problems.append(f"symptoms missing {missing}")
        else:
            same = checks.get(key, lambda stored, want: stored == want)
            if not same(row.get(key), expected):
                problems.append(f"{key}: stored {row.get(key)!r}, meant {expected!r}")
    return problems
