"""ExplicitBotChallenge on messages as the classifiers leave them."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from addons.explicit_bot_challenge import ExplicitBotChallenge
from tests.support.messages import classified


def intent_after(message: Message) -> str:
    (processed,) = ExplicitBotChallenge({}).process([message])
    return processed.get(INTENT)[INTENT_NAME_KEY]


@pytest.mark.parametrize(
    ("text", "next_guess"),
    [
        # Held-out sets 40-42: read as "are you a bot".
        ("is a real doctor reading it", "ask_mri_review"),
        ("is it a doctor who reads it", "ask_mri_review"),
        ("I'd prefer to discuss this with a human being", "human_handoff"),
    ],
)
def test_a_bot_challenge_guess_on_another_question_becomes_the_next_guess(text, next_guess):
    message = classified(text, ("bot_challenge", 0.6), (next_guess, 0.3))
    assert intent_after(message) == next_guess


def test_a_question_whether_the_chat_is_a_program_becomes_bot_challenge():
    message = classified("am i texting a computer rn", ("inform", 0.5), ("bot_challenge", 0.3))
    assert intent_after(message) == "bot_challenge"


def test_a_bot_challenge_guess_on_the_question_stays():
    message = classified("r u a bot or a real human", ("bot_challenge", 0.9), ("greet", 0.05))
    assert intent_after(message) == "bot_challenge"


def test_other_messages_keep_the_classifier_guess():
    message = classified("can i talk to a real person", ("human_handoff", 0.8), ("greet", 0.1))
    assert intent_after(message) == "human_handoff"
