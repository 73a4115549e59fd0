"""The intent and entity names Python code uses are the ones the domain defines.

Why: a name renamed in domain.yml but not in `spinecare.names` would leave comparisons
that are never true (a red-flag intent never recognised) without any error.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from spinecare import names

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def _declared(section: str) -> set[str]:
    raw = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    return {item if isinstance(item, str) else next(iter(item)) for item in raw[section]}


def test_every_intent_name_is_a_domain_intent():
    assert set(names.INTENTS) - _declared("intents") == set()


def test_every_entity_name_is_a_domain_entity():
    assert set(names.ENTITIES) - _declared("entities") == set()


def test_every_name_is_listed_as_an_intent_or_an_entity():
    constants = {
        value for key, value in vars(names).items() if key.isupper() and isinstance(value, str)
    }
    assert constants == set(names.INTENTS) | set(names.RASA_INTENTS) | set(names.ENTITIES)
    assert not set(names.INTENTS) & set(names.ENTITIES)


def test_rasa_intents_are_rasa_s_own():
    from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME

    assert names.RASA_INTENTS == (DEFAULT_NLU_FALLBACK_INTENT_NAME,)


def test_classifier_guesses_look_past_the_fallback():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "cancel"}, {"name": "greet"}]
    assert names.classifier_guesses(ranking) == ["cancel", "greet"]
    assert names.classifier_guesses(None) == []
