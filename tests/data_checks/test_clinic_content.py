"""Clinic content: every answer traceable to the reviewed guidance, none giving emergency advice."""

from __future__ import annotations

import re

import pytest
import yaml

from spinecare import settings

ROOT = settings.PROJECT_ROOT
GUIDANCE = ROOT.parent / "shared" / "clinic" / "sciatica-exercise-guidance.txt"
ANSWERS = yaml.safe_load((ROOT / "data" / "responses" / "clinic_guidance.yml").read_text())[
    "responses"
]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
DOSE = re.compile(r"\b\d+\s*(mg|milligrams?|ml|tablets?|pills?)\b", re.IGNORECASE)


def normalise(text: str) -> str:
    return " ".join(text.split())


def all_reply_texts() -> list[tuple[str, str]]:
    texts = [(name, v["text"]) for name, vs in ANSWERS.items() for v in vs]
    texts += [(name, v["text"]) for name, vs in DOMAIN["responses"].items() for v in vs]
    return texts


def test_at_least_twelve_topics_across_the_four_retrieval_intents():
    intents = {name.removeprefix("utter_").split("/")[0] for name in ANSWERS}
    assert intents == {
        "ask_exercise_safety",
        "ask_conservative_care",
        "ask_surgery",
        "ask_mri_review",
    }
    assert len(ANSWERS) >= 12


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_answer_cites_a_sentence_of_the_guidance(name):
    guidance = normalise(GUIDANCE.read_text(encoding="utf-8"))
    (variant,) = ANSWERS[name]
    quote = variant["metadata"]["guidance"]
    assert normalise(quote) in guidance, f"{name}: quote not found verbatim in the guidance"


def test_every_trained_topic_has_an_answer_and_every_answer_a_topic():
    nlu = yaml.safe_load((ROOT / "data" / "nlu" / "questions.yml").read_text())["nlu"]
    topics = {block["intent"] for block in nlu if "/" in block["intent"]}
    assert {name.removeprefix("utter_") for name in ANSWERS} == topics


def test_only_the_greeting_disclaimer_mentions_911():
    mentions = [name for name, text in all_reply_texts() if "911" in text]
    assert mentions == ["utter_disclaimer"]


def test_no_reply_suggests_a_dose():
    assert [name for name, text in all_reply_texts() if DOSE.search(text)] == []
