"""Rasa NLU components: a linear model's vote blended into DIET's intent and the answer topic.

Why: on wording nobody had written down, DIET and the ResponseSelector alone got intent
macro-F1 0.85-0.89 on each new held-out set; a logistic regression on word and character
n-grams (`spinecare.nlp.linear`) makes different mistakes, and the blend of the two was
right more often than either on every held-out set (README, "How the assistant
understands"). Each component trains its own model on the NLU data and, at run time,
replaces the ranking the neural classifier left with the blended one:

- `LinearIntentClassifier`, placed after DIETClassifier: the intent and intent_ranking.
- `LinearTopicSelector`, placed after ResponseSelector: the answer topic of the default
  selector (`response_selector.default`), which `spinecare.answers` reads.

The FallbackClassifier, ExplicitCancel and the red-flag detector come after both and
still have their say on the blended intent.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
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
from sklearn.pipeline import Pipeline

from spinecare.nlp import linear

MODEL_FILE = "linear.skops"
RESPONSES_FILE = "responses.json"
RANKING_LENGTH = 10


class _LinearComponent(GraphComponent):
    """Training, saving and loading shared by both components; subclasses say what to learn."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # weight: the linear model's share of the vote; c: its inverse regularisation.
        return {"weight": 0.7, "c": 30.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
        responses: dict[str, Any] | None = None,
    ) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        self.responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _LinearComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> _LinearComponent:
        with model_storage.read_from(resource) as directory:
            model = linear.load(directory / MODEL_FILE)
            responses = json.loads((directory / RESPONSES_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, model, responses)

    @staticmethod
    def labelled(training_data: TrainingData) -> tuple[list[str], list[str]]:
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = self.labelled(training_data)
        self.model = linear.fit(texts, labels, c=float(self.component_config["c"]))
        self.responses = dict(training_data.responses)
        with self._model_storage.write_to(self._resource) as directory:
            linear.save(self.model, directory / MODEL_FILE)
            (directory / RESPONSES_FILE).write_text(
                json.dumps(self.responses, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def _blended(self, text: str, ranking: list[tuple[str, float]]) -> list[tuple[str, float]]:
        probs = linear.probabilities(self.model, text)
        return linear.blend(ranking, probs, float(self.component_config["weight"]))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(_LinearComponent, IntentClassifier):
    """The intent: the linear model's probabilities blended with DIET's ranking."""

    @staticmethod
    def labelled(training_data: TrainingData) -> tuple[list[str], list[str]]:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        return [e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or self.model is None:
                continue
            ranking = [
                (entry[INTENT_NAME_KEY], float(entry[PREDICTED_CONFIDENCE_KEY]))
                for entry in message.get(INTENT_RANKING_KEY) or []
            ]
            blended = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: score}
                for name, score in self._blended(text, ranking)[:RANKING_LENGTH]
            ]
            message.set(INTENT, dict(blended[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, blended, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearTopicSelector(_LinearComponent):
    """The answer topic: the linear model's probabilities blended with the ResponseSelector's."""

    @staticmethod
    def labelled(training_data: TrainingData) -> tuple[list[str], list[str]]:
        examples = [
            e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT_RESPONSE_KEY)
        ]
        return [e.get(TEXT) for e in examples], [e.get(INTENT_RESPONSE_KEY) for e in examples]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            selectors = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            selected = selectors.get(RESPONSE_SELECTOR_DEFAULT_INTENT)
            if not text or self.model is None or not selected:
                continue
            ranking = [
                (entry[INTENT_RESPONSE_KEY], float(entry[PREDICTED_CONFIDENCE_KEY]))
                for entry in selected.get(RESPONSE_SELECTOR_RANKING_KEY) or []
            ]
            blended = self._blended(text, ranking)
            key, confidence = blended[0]
            template = f"utter_{key}"
            selected = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(template) or [{TEXT: key}],
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: template,
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {INTENT_RESPONSE_KEY: name, PREDICTED_CONFIDENCE_KEY: score}
                    for name, score in blended[:RANKING_LENGTH]
                ],
            }
            message.set(
                RESPONSE_SELECTOR_PROPERTY_NAME,
                {**selectors, RESPONSE_SELECTOR_DEFAULT_INTENT: selected},
                add_to_output=True,
            )
        return messages
