"""Rewriting the classifiers' intent ranking, for the components that overrule them.

One way to do it, so the intent and the first entry of the ranking never disagree: the
policies read the intent, the eval scripts and the conversation store read the ranking.
"""

from __future__ import annotations

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from spinecare import names


def without(message: Message, intent: str) -> list[dict]:
    """The ranking with one intent left out."""
    return [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != intent
    ]


def set_ranking(message: Message, ranking: list[dict]) -> None:
    """The ranking as given, its first entry the message's intent."""
    message.set(INTENT, dict(ranking[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def rank_first(message: Message, intent: str) -> None:
    """The intent made certain, ahead of the others the classifiers ranked."""
    certain = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    set_ranking(message, [certain, *without(message, intent)])


def classifier_guess(message: Message) -> str | None:
    """The classifiers' first intent, looking past an nlu_fallback the FallbackClassifier set."""
    guesses = names.classifier_guesses(
        message.get(INTENT_RANKING_KEY) or [message.get(INTENT) or {}]
    )
    return guesses[0] if guesses else None
