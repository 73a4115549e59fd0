"""The base of the NLU components that overrule the classifiers by reading the words.

Why one base: `ExplicitCancel`, `ExplicitYesNo` and `ExplicitBotChallenge` each run after
the classifiers, train nothing and decide by a rule a reviewer can read; only their
`process` differs. Rasa builds each one through `create`, given its config.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier


class RuleOverride(GraphComponent, IntentClassifier):
    """An untrained component after the classifiers; subclasses give `process`."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleOverride:
        return cls(config)
