"""Rasa NLU component: only an explicit request to stop is classified as `cancel`.

Why: `cancel` stops a form and throws its answers away, so a wrong guess costs the
patient their whole request. The classifier, trained on short phrases such as "stop"
and "quit", also reads names ("Quinn Hale") and short answers as `cancel` with high
confidence. After the classifiers, this component keeps `cancel` only when the whole
message is an explicit stop phrase (`spinecare.intake.reading.is_explicit_cancel`);
otherwise the classifier's next guess becomes the intent. It never adds `cancel`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from spinecare import names
from spinecare.intake.reading import is_explicit_cancel

CANCEL_INTENT_KEY = "cancel_intent"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExplicitCancel(GraphComponent, IntentClassifier):
    """Withdraws a `cancel` prediction unless the message is an explicit stop phrase."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {CANCEL_INTENT_KEY: names.CANCEL}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExplicitCancel:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace a `cancel` guess by the next one when the text is not a stop phrase."""
        cancel = self.component_config[CANCEL_INTENT_KEY]
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != cancel or is_explicit_cancel(message.get(TEXT)):
                continue
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != cancel
            ]
            if ranking:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
