"""Rasa NLU component: `bot_challenge` is exactly a question whether the chat is a program.

Why: the classifiers read questions about who reviews the MRI ("is a real doctor reading
it") and wishes to talk to someone ("I'd prefer to discuss this with a human being") as
`bot_challenge`, whose answer ("I'm an automated assistant") helps with neither. After the
classifiers, `spinecare.nlp.bot_question.asks_who_is_answering` decides: a `bot_challenge`
guess on anything else gives way to the classifiers' next guess, and a question in one of
its shapes the classifiers read as something else becomes `bot_challenge`. The red-flag
detector runs after it and still wins.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons import intent_ranking
from addons.rule_override import RuleOverride
from spinecare import names
from spinecare.nlp.bot_question import asks_who_is_answering


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExplicitBotChallenge(RuleOverride):
    """Keeps `bot_challenge` for the questions whether the chat is a program, and only them."""

    def process(self, messages: list[Message]) -> list[Message]:
        """`bot_challenge` when the message asks who answers, the next guess when it does not."""
        challenge = names.BOT_CHALLENGE
        for message in messages:
            asks = asks_who_is_answering(message.get(TEXT) or "")
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            guessed = intent_ranking.classifier_guess(message) == challenge
            if asks and current != challenge:
                intent_ranking.rank_first(message, challenge)
            elif not asks and guessed:
                others = intent_ranking.without(message, challenge)
                if others:
                    intent_ranking.set_ranking(message, others)
        return messages
