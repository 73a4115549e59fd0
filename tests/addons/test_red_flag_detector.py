"""The Rasa component on messages processed by Rasa's own SpacyNLP and SpacyTokenizer.

Why through Rasa's classes: the component relies on the Doc that SpacyNLP stores on the
message (lower-cased by default), so the test runs the same steps a Rasa server runs
before the component, without training a model or starting a server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from addons.red_flag_detector import RedFlagDetector
from spinecare import settings
from spinecare.nlp import build


@pytest.fixture(scope="module")
def pipeline_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = settings.load().spacy_pipeline
    if build.is_current(configured):
        return configured
    path = tmp_path_factory.mktemp("spacy") / build.PIPELINE_NAME
    build.build(path)
    return path


@pytest.fixture(scope="module")
def graph_args(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {
        "model_storage": LocalModelStorage(tmp_path_factory.mktemp("model_storage")),
        "execution_context": ExecutionContext(GraphSchema({}), "test"),
    }


@pytest.fixture(scope="module")
def spacy_nlp(pipeline_path: Path, graph_args: dict) -> SpacyNLP:
    return SpacyNLP.create(
        {**SpacyNLP.get_default_config(), "model": str(pipeline_path)},
        resource=Resource("spacy_nlp"),
        **graph_args,
    )


@pytest.fixture(scope="module")
def tokenizer(graph_args: dict) -> SpacyTokenizer:
    return SpacyTokenizer.create(
        SpacyTokenizer.get_default_config(), resource=Resource("tokenizer"), **graph_args
    )


@pytest.fixture(scope="module")
def component(graph_args: dict) -> RedFlagDetector:
    return RedFlagDetector.create(
        RedFlagDetector.get_default_config(), resource=Resource("red_flags"), **graph_args
    )


def classified(text: str, intent: str, confidence: float = 0.8) -> Message:
    """A message as it leaves DIETClassifier/FallbackClassifier: intent and ranking set."""
    ranking = [
        {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence},
        {INTENT_NAME_KEY: "greet", PREDICTED_CONFIDENCE_KEY: 0.1},
        {INTENT_NAME_KEY: "report_red_flag", PREDICTED_CONFIDENCE_KEY: 0.05},
    ]
    ranking = [r for i, r in enumerate(ranking) if i == 0 or r[INTENT_NAME_KEY] != intent]
    return ranked(text, ranking)


def ranked(text: str, ranking: list[dict]) -> Message:
    """A message whose intent is the first of `ranking`."""
    return Message(
        data={TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking, ENTITIES: []}
    )


@pytest.fixture
def run(spacy_nlp: SpacyNLP, tokenizer: SpacyTokenizer, component: RedFlagDetector):
    def _run(message: Message) -> Message:
        spacy_nlp.process([message], spacy_nlp.provide())
        tokenizer.process([message])
        (processed,) = component.process([message])
        return processed

    return _run


def test_emergency_overrides_the_intent_and_adds_the_reason(run):
    text = "Hi, since this morning I can't feel my groin"
    message = run(classified(text, "describe_symptoms"))

    assert message.get(INTENT) == {
        INTENT_NAME_KEY: "report_red_flag",
        PREDICTED_CONFIDENCE_KEY: 1.0,
    }
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r[INTENT_NAME_KEY] for r in ranking] == [
        "report_red_flag",
        "describe_symptoms",
        "greet",
    ]
    assert ranking[1][PREDICTED_CONFIDENCE_KEY] == 0.8

    (entity,) = message.get(ENTITIES)
    assert entity["entity"] == "red_flag_reason"
    assert entity["value"] == "saddle_numbness"
    assert entity["confidence_entity"] == 1.0
    assert entity["extractor"] == "RedFlagDetector"
    assert text[entity["start"] : entity["end"]] == "can't feel my groin"
    assert {INTENT, INTENT_RANKING_KEY, ENTITIES} <= message.output_properties


def test_urgent_sign_becomes_report_urgent_symptom(run):
    message = run(classified("the pain wakes me up every night", "describe_symptoms"))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "report_urgent_symptom"
    (entity,) = message.get(ENTITIES)
    assert entity["value"] == "night_pain"


def test_message_without_red_flag_keeps_its_intent(run):
    message = run(classified("my right leg hurts when I walk far", "describe_symptoms", 0.9))
    assert message.get(INTENT) == {
        INTENT_NAME_KEY: "describe_symptoms",
        PREDICTED_CONFIDENCE_KEY: 0.9,
    }
    assert message.get(INTENT_RANKING_KEY)[0][INTENT_NAME_KEY] == "describe_symptoms"
    assert message.get(ENTITIES) == []


def test_classifier_red_flag_the_rules_cannot_place_becomes_a_possible_red_flag(run):
    message = run(classified("something feels very wrong down below", "report_red_flag", 0.7))
    assert message.get(INTENT) == {
        INTENT_NAME_KEY: "report_possible_red_flag",
        PREDICTED_CONFIDENCE_KEY: 0.7,
    }
    names = [r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY)]
    assert names[:2] == ["report_possible_red_flag", "report_red_flag"]
    (entity,) = message.get(ENTITIES)
    assert (entity["entity"], entity["value"]) == ("red_flag_reason", "unconfirmed")


def test_classifier_red_flag_for_a_ruled_out_sign_is_withdrawn(run):
    message = run(classified("no numbness in my groin at all", "report_red_flag", 0.9))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "greet"
    names = [r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY)]
    assert "report_red_flag" not in names
    assert message.get(ENTITIES) == []


def test_classifier_red_flag_is_not_downgraded_to_urgent(run):
    message = run(classified("I had cancer last year", "report_red_flag", 0.7))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "report_red_flag"


def test_negated_sign_keeps_the_intent(run):
    message = run(classified("no numbness in my groin and no bladder problems", "deny"))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "deny"
    assert message.get(ENTITIES) == []


def test_intent_payloads_are_skipped(run):
    message = run(classified('/inform{"symptom": "can\'t pee"}', "inform", 1.0))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "inform"
    assert message.get(ENTITIES) == []


def test_message_without_spacy_doc_is_left_alone(component):
    message = classified("I can't pee", "describe_symptoms")
    assert message.get(SPACY_DOCS[TEXT]) is None
    (processed,) = component.process([message])
    assert processed.get(INTENT)[INTENT_NAME_KEY] == "describe_symptoms"


def test_one_detector_per_vocab(run, component, spacy_nlp):
    run(classified("I can't pee", "describe_symptoms"))
    run(classified("I can't walk", "describe_symptoms"))
    vocab = spacy_nlp.provide().model.vocab
    assert component._detector_for(vocab) is component._detector_for(vocab)
    assert len(component._detectors) == 1


def runner_up(text: str, top: str, top_confidence: float, alarm: float) -> Message:
    ranking = [
        {INTENT_NAME_KEY: top, PREDICTED_CONFIDENCE_KEY: top_confidence},
        {INTENT_NAME_KEY: "report_red_flag", PREDICTED_CONFIDENCE_KEY: alarm},
    ]
    return ranked(text, ranking)


def test_an_alarm_close_behind_an_urgent_guess_raises_the_screen(run):
    """Fresh emergency: "cant feel the toilet seat under me and my back is in a lot of pain"."""
    text = "something is really off and my back is in a lot of pain"
    message = run(runner_up(text, "report_urgent_symptom", 0.56, 0.4))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "report_possible_red_flag"
    unsure = run(runner_up(text, "nlu_fallback", 0.4, 0.33))
    assert unsure.get(INTENT)[INTENT_NAME_KEY] == "report_possible_red_flag"


def test_a_faint_alarm_behind_a_classifier_that_gave_up_raises_no_screen(run):
    """Benign list 4: "my back hurts", nlu_fallback first and the alarm at 0.25."""
    message = run(runner_up("my back hurts", "nlu_fallback", 0.4, 0.27))
    assert message.get(INTENT)[INTENT_NAME_KEY] == "nlu_fallback"


def test_a_message_saying_the_signs_are_normal_is_not_screened(run):
    """Benign list 2: the classifier's alarm at 0.41 on a message that rules the signs out."""
    text = "pee and poop all normal, no numbness anywhere, just this horrible pain down my leg"
    message = run(classified(text, "report_red_flag", 0.41))
    assert message.get(INTENT)[INTENT_NAME_KEY] != "report_possible_red_flag"
    fine = "my bladder and bowels are fine, my back is sore"
    behind = run(runner_up(fine, "nlu_fallback", 0.4, 0.38))
    assert behind.get(INTENT)[INTENT_NAME_KEY] == "nlu_fallback"


def test_a_faint_alarm_or_one_behind_an_answer_changes_nothing(run):
    text = "my leg aches after a long walk"
    faint = run(runner_up(text, "report_urgent_symptom", 0.8, 0.1))
    assert faint.get(INTENT)[INTENT_NAME_KEY] == "report_urgent_symptom"
    behind_an_answer = run(runner_up(text, "inform", 0.6, 0.35))
    assert behind_an_answer.get(INTENT)[INTENT_NAME_KEY] == "inform"
