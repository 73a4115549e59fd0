"""ExplicitCancel on messages as the classifiers leave them: `cancel` is the stop phrases."""

from __future__ import annotations

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from addons.explicit_cancel import ExplicitCancel
from tests.support.messages import classified


def intent_after(message: Message) -> str:
    (processed,) = ExplicitCancel({}).process([message])
    return processed.get(INTENT)[INTENT_NAME_KEY]


def test_a_name_read_as_cancel_becomes_the_next_guess():
    assert intent_after(classified("Quinn Hale", ("cancel", 0.7), ("inform", 0.2))) == "inform"


def test_a_stop_phrase_the_classifier_missed_becomes_cancel():
    message = classified("don't submit it, I'm out", ("ask_exercise_safety", 0.6), ("cancel", 0.3))
    assert intent_after(message) == "cancel"
    assert [e[INTENT_NAME_KEY] for e in message.get(INTENT_RANKING_KEY)] == [
        "cancel",
        "ask_exercise_safety",
    ]


def test_a_stop_phrase_read_as_cancel_stays_cancel():
    assert intent_after(classified("never mind", ("cancel", 0.9), ("deny", 0.1))) == "cancel"


def test_other_messages_keep_the_classifier_guess():
    assert intent_after(classified("the pain won't stop", ("inform", 0.8), ("cancel", 0.1))) == (
        "inform"
    )


def test_a_cancel_guess_with_a_word_to_stop_stays_cancel():
    """Held-out set 4: stop requests outside the phrase list lost their cancel."""
    for text in (
        "cancel my request pls",
        "ugh nvm, abort the whole thing",
        "please discard what I've entered so far",
        "olvídalo, ya no quiero llenar el formulario",
    ):
        assert intent_after(classified(text, ("cancel", 0.8), ("deny", 0.1))) == "cancel", text


def test_a_cancel_guess_behind_a_fallback_still_counts():
    message = classified("quit the sign up, not ready rn", ("nlu_fallback", 0.4), ("cancel", 0.38))
    assert intent_after(message) == "cancel"


def test_a_word_to_stop_without_a_cancel_guess_is_not_a_cancel():
    message = classified("my leg pain wont stop now", ("inform", 0.9), ("cancel", 0.05))
    assert intent_after(message) == "inform"


def test_a_take_back_inside_an_answer_is_not_a_cancel():
    """Held-out set 35, under round 18's model: "email - nvm, call me, I never check that
    email" at the contact question was read as `cancel` and the request thrown away. A
    "nvm" between an answer and the one meant takes the first back; it stops nothing."""
    message = classified(
        "email - nvm, call me, I never check that email", ("cancel", 0.6), ("inform", 0.3)
    )
    assert intent_after(message) == "inform"
    for text in ("nvm", "ugh nvm, abort the whole thing", "oh nvm forget it", "never mind"):
        assert intent_after(classified(text, ("cancel", 0.8), ("deny", 0.1))) == "cancel", text
