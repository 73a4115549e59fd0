"""ExplicitYesNo on messages as the classifiers leave them: a plain yes is no `deny`."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
)

from addons.explicit_yes_no import ExplicitYesNo
from tests.support.messages import classified


def intent_after(text: str, *ranking: tuple[str, float]) -> str:
    (processed,) = ExplicitYesNo({}).process([classified(text, *ranking)])
    assert processed.get(INTENT_RANKING_KEY)[0] == processed.get(INTENT)
    return processed.get(INTENT)[INTENT_NAME_KEY]


@pytest.mark.parametrize("text", ["\u02bbae", "\u02bbAe!", "ja", "si claro", "yes please"])
def test_a_plain_yes_read_as_deny_is_affirm(text):
    """Round 15, noticed: a bare Hawaiian "\u02bbae" outside a form was read as a no."""
    assert intent_after(text, ("deny", 0.8), ("affirm", 0.1)) == "affirm"


@pytest.mark.parametrize("text", ["\u02bba\u02bbole", "nein danke", "no thanks, bye"])
def test_a_plain_no_read_as_affirm_is_deny(text):
    assert intent_after(text, ("affirm", 0.6), ("deny", 0.3)) == "deny"


@pytest.mark.parametrize(
    ("text", "guess"),
    [("no problem", "affirm"), ("im good", "deny"), ("no, that is right", "affirm"),
     ("Waqaa!", "affirm"), ("ok bye", "goodbye"), ("yes I have a question", "ask_mri_review")],
)  # fmt: skip
def test_anything_else_keeps_the_classifier_guess(text, guess):
    assert intent_after(text, (guess, 0.7), ("deny", 0.2)) == guess


def test_a_plain_yes_under_a_fallback_over_a_no_guess_is_affirm():
    """Round 15, noticed: the fifth model left a bare "\u02bbae" an nlu_fallback over `deny`."""
    ranking = (("nlu_fallback", 0.4), ("deny", 0.33), ("inform", 0.13), ("affirm", 0.08))
    assert intent_after("\u02bbae", *ranking) == "affirm"


def test_a_fallback_over_another_guess_stays_a_fallback():
    ranking = (("nlu_fallback", 0.4), ("ask_mri_review", 0.3), ("affirm", 0.2))
    assert intent_after("yes I have a question", *ranking) == "nlu_fallback"
