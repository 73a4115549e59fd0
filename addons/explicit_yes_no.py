"""Rasa NLU component: a plain yes is never `deny`, a plain no never `affirm`.

Why: the classifier only knows the yes and no words it was trained on. A bare Hawaiian
"\u02bbae" (yes) was read as `deny` in round 15, and the fifth model left it an
nlu_fallback over `deny`, which gets "ask another way" where a yes gets the main options.
When the classifiers' first guess is a yes or a no, the intake's own reader
(`opens_with_yes_or_no`: the yes and no words of every language the intake reads, in first
place, and a whole reading that agrees) decides the polarity, fallback or not; every other
guess is left alone. Inside a form the validators read the text itself. The red-flag
detector runs after it and still wins.
"""

from __future__ import annotations

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
from spinecare.intake.validators import opens_with_yes_or_no


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExplicitYesNo(RuleOverride):
    """Turns `affirm` into `deny` (or back) when the words plainly say the other."""

    def process(self, messages: list[Message]) -> list[Message]:
        """`affirm` for a plain yes the classifier read as `deny`, and the other way round."""
        for message in messages:
            # Under an nlu_fallback, the guess the FallbackClassifier found too unsure.
            if intent_ranking.classifier_guess(message) not in (names.AFFIRM, names.DENY):
                continue
            said = opens_with_yes_or_no(message.get(TEXT) or "")
            meant = {True: names.AFFIRM, False: names.DENY}.get(said)
            if meant is None or meant == (message.get(INTENT) or {}).get(INTENT_NAME_KEY):
                continue
            intent_ranking.rank_first(message, meant)
        return messages
