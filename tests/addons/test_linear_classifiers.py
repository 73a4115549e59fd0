"""The linear components inside Rasa: trained on training data, saved, loaded, blending votes."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.linear_classifiers import LinearIntentClassifier, LinearTopicSelector

EXAMPLES = [
    ("is walking ok with sciatica", "ask_exercise_safety", "ask_exercise_safety/specific_activity"),
    ("can i swim with a bad back", "ask_exercise_safety", "ask_exercise_safety/specific_activity"),
    ("is it safe to exercise at all", "ask_exercise_safety", "ask_exercise_safety/overview"),
    ("should i exercise with sciatica", "ask_exercise_safety", "ask_exercise_safety/overview"),
    ("heat or ice for my back", "ask_conservative_care", "ask_conservative_care/hot_cold"),
    ("do cold packs help sciatica", "ask_conservative_care", "ask_conservative_care/hot_cold"),
    ("hello there", "greet", None),
    ("hi, good morning", "greet", None),
]
RESPONSES = {f"utter_{key}": [{"text": f"answer about {key}"}] for _, _, key in EXAMPLES if key}


def training_data() -> TrainingData:
    messages = []
    for text, intent, key in EXAMPLES:
        data = {TEXT: text, INTENT: intent}
        if key:
            data[INTENT_RESPONSE_KEY] = key
        messages.append(Message(data=data))
    return TrainingData(training_examples=messages, responses=RESPONSES)


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def trained_then_loaded(component_class, storage):
    resource = Resource(component_class.__name__)
    context = ExecutionContext(GraphSchema({}), "test")
    component_class.create({}, storage, resource, context).train(training_data())
    return component_class.load({}, storage, resource, context)


def ranked(*pairs: tuple[str, float]) -> list[dict]:
    return [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c} for n, c in pairs]


def test_the_intent_is_the_blend_of_both_votes(storage):
    component = trained_then_loaded(LinearIntentClassifier, storage)
    # DIET is wrong and sure of it; the linear model, reading "swimming", outvotes it.
    diet = ranked(("greet", 0.9), ("ask_exercise_safety", 0.1))
    message = Message(
        data={TEXT: "is swimming ok with sciatica", INTENT: diet[0], INTENT_RANKING_KEY: diet}
    )
    (out,) = component.process([message])
    assert out.get(INTENT)[INTENT_NAME_KEY] == "ask_exercise_safety"
    names = [e[INTENT_NAME_KEY] for e in out.get(INTENT_RANKING_KEY)]
    assert names[0] == "ask_exercise_safety" and set(names) == {
        "ask_exercise_safety", "ask_conservative_care", "greet"}  # fmt: skip
    confidences = [e[PREDICTED_CONFIDENCE_KEY] for e in out.get(INTENT_RANKING_KEY)]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_a_message_without_text_is_left_as_it_was(storage):
    component = trained_then_loaded(LinearIntentClassifier, storage)
    message = Message(data={INTENT: ranked(("greet", 1.0))[0]})
    (out,) = component.process([message])
    assert out.get(INTENT) == {INTENT_NAME_KEY: "greet", PREDICTED_CONFIDENCE_KEY: 1.0}


def test_the_answer_topic_is_the_blend_and_names_its_answer(storage):
    component = trained_then_loaded(LinearTopicSelector, storage)
    selector = {"default": {
        "response": {"intent_response_key": "ask_exercise_safety/overview", "confidence": 0.6,
                     "utter_action": "utter_ask_exercise_safety/overview", "responses": []},
        "ranking": [{"intent_response_key": "ask_exercise_safety/overview", "confidence": 0.6},
                    {"intent_response_key": "ask_conservative_care/hot_cold", "confidence": 0.4}],
    }, "all_retrieval_intents": ["ask_exercise_safety", "ask_conservative_care"]}  # fmt: skip
    text = "ice or a heating pad for sciatica?"
    message = Message(data={TEXT: text, "response_selector": selector})
    (out,) = component.process([message])
    result = out.get("response_selector")
    response = result["default"]["response"]
    assert response["intent_response_key"] == "ask_conservative_care/hot_cold"
    assert response["utter_action"] == "utter_ask_conservative_care/hot_cold"
    assert response["responses"] == RESPONSES["utter_ask_conservative_care/hot_cold"]
    assert response["confidence"] == result["default"]["ranking"][0]["confidence"]
    assert result["all_retrieval_intents"] == ["ask_exercise_safety", "ask_conservative_care"]


def test_no_selector_output_means_nothing_to_blend(storage):
    component = trained_then_loaded(LinearTopicSelector, storage)
    (out,) = component.process([Message(data={TEXT: "hello there"})])
    assert out.get("response_selector") is None
