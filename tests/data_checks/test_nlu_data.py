"""The NLU data keeps the intent contract, its size targets and a truly held-out test file."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from spinecare import settings

ROOT = settings.PROJECT_ROOT
CONTRACT = {
    "greet", "goodbye", "affirm", "deny", "thank", "bot_challenge", "out_of_scope",
    "request_mri_review", "ask_mri_review", "report_red_flag", "ask_exercise_safety",
    "ask_conservative_care", "ask_surgery", "ask_medical_advice", "human_handoff", "cancel",
    "ask_privacy", "inform",
}  # fmt: skip
SMALL_TALK = {"greet", "goodbye", "affirm", "deny", "thank"}

TRAINING = load_data(str(ROOT / "data" / "nlu"))
HELD_OUT = load_data(str(ROOT / "tests" / "nlu" / "held_out.yml"))


def top_level(example) -> str:
    return example.get("intent")


def test_every_contract_intent_has_training_data():
    assert set(TRAINING.intents) >= CONTRACT


def test_domain_intents_have_at_least_30_examples_and_small_talk_15():
    counts = Counter(top_level(e) for e in TRAINING.intent_examples)
    for intent, count in counts.items():
        minimum = 15 if intent in SMALL_TALK else 30
        assert count >= minimum, f"{intent} has {count} examples"


def _held_out_texts() -> dict[str, list[str]]:
    """Every message still held out, by file: the NLU files and the fresh eval set.

    The earlier eval sets (tests/eval/first_questions.yml, second/, third/, final/) were
    used to find failures while tuning and are no longer held out.
    """
    texts = {}
    for path in sorted((ROOT / "tests" / "nlu").glob("held_out*.yml")):
        texts[path.name] = [e.get("text") for e in load_data(str(path)).intent_examples]
    for path in sorted((ROOT / "tests" / "eval").glob("fresh*/first_questions.yml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts[str(path.relative_to(ROOT))] = [item["q"] for item in items]
    return texts


@pytest.mark.parametrize("name, texts", sorted(_held_out_texts().items()))
def test_held_out_material_is_never_trained_on(name, texts):
    trained = {e.get("text").strip().lower() for e in TRAINING.intent_examples}
    overlap = [text for text in texts if text.strip().lower() in trained]
    assert overlap == [], name


def test_held_out_file_covers_every_intent():
    assert set(HELD_OUT.intents) == set(TRAINING.intents)
