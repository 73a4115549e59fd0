"""Rasa NLU component: `cancel` is exactly the explicit requests to stop.

Why: `cancel` stops a form and throws its answers away, so a wrong guess costs the
patient their whole request. The classifier, trained on short phrases such as "stop"
and "quit", also reads names ("Quinn Hale") and short answers as `cancel` with high
confidence, and misses stops it was not trained on ("don't submit it, I'm out"). After
the classifiers, this component decides by the whole message being an explicit stop
phrase (`spinecare.intake.reading.is_explicit_cancel`), or by the classifier's own
`cancel` guess together with a word that asks to stop (`names_a_stop`: "cancel my request
pls", "ugh nvm, abort the whole thing"; a name has no such word). A `cancel` guess on
anything else gives way to the classifier's next guess, and an explicit stop phrase the
classifier read as something else becomes `cancel`. The red-flag detector runs after it
and still wins.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from addons import intent_ranking
from addons.rule_override import RuleOverride
from spinecare import names
from spinecare.intake.reading import is_explicit_cancel, names_a_stop

CANCEL_INTENT_KEY = "cancel_intent"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExplicitCancel(RuleOverride):
    """Withdraws a `cancel` prediction unless the message is an explicit stop phrase."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {CANCEL_INTENT_KEY: names.CANCEL}

    def process(self, messages: list[Message]) -> list[Message]:
        """`cancel` for an explicit stop phrase, or for a `cancel` guess with a word to stop."""
        cancel = self.component_config[CANCEL_INTENT_KEY]
        for message in messages:
            guessed_cancel = intent_ranking.classifier_guess(message) == cancel
            text = message.get(TEXT)
            explicit = is_explicit_cancel(text) or (guessed_cancel and names_a_stop(text))
            if explicit and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == cancel:
                continue
            if not explicit and not guessed_cancel:
                continue
            others = intent_ranking.without(message, cancel)
            if explicit:
                intent_ranking.rank_first(message, cancel)
            elif others:
                intent_ranking.set_ranking(message, others)
        return messages
