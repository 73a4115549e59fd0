"""Rasa NLU component that turns a reported red flag into a safety intent.

Why it runs last, after DIETClassifier, ResponseSelector and FallbackClassifier: a
statistical classifier trained on a few examples can miss "I cant feel anything when I
wipe", and a fallback must never swallow it. The deterministic rules of
`spinecare.safety` (reviewable by clinicians, pinned by tests) get the final word:

- a red flag (emergency) makes the intent `report_red_flag`, an urgent sign makes it
  `report_urgent_symptom`, confidence 1.0; the classifier's own guess stays in the
  ranking right after it, and a `red_flag_reason` entity carries the reason code so a
  slot can tell the patient in plain words why they should get care;
- no finding leaves the message as it was, so when the classifier already said
  `report_red_flag` for a phrasing the patterns miss, that prediction stands. An urgent
  finding never downgrades a `report_red_flag` prediction either;
- when the rules saw a red-flag sign and ruled it out (negated, in the past, asked
  about), a classifier alarm is withdrawn in favour of its next guess, so "no numbness
  in my groin" is not sent to the emergency room;
- a classifier alarm with no sign the rules know becomes `report_possible_red_flag`
  with the reason `unconfirmed`: the dialogue asks about the emergency signs (the
  safety screen) rather than ignoring it or sending the person to the emergency room
  on a guess, and an intake in progress carries on when the answer is no.

The component reads the spaCy `Doc` that SpacyNLP put on the message (so SpacyNLP must
come earlier in the pipeline) and keeps one detector per spaCy vocabulary, because
matchers are bound to a vocab. Messages that are exactly intent payloads ("/greet",
"/inform{...}") are skipped; any other text starting with "/" is checked like any message.
Nothing here logs message text or symptoms.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE, SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc
from spacy.vocab import Vocab

from spinecare import names
from spinecare.safety import red_flags

UNCONFIRMED_REASON = "unconfirmed"
EMERGENCY_INTENT_KEY = "emergency_intent"
URGENT_INTENT_KEY = "urgent_intent"
POSSIBLE_INTENT_KEY = "possible_intent"
# The classifier's emergency confidence, second to an urgent sign or nlu_fallback, that
# still raises the safety screen (see RedFlagDetector._alarm_runner_up). Behind
# nlu_fallback the classifier has no idea at all, and "my back hurts" or "my back spasms
# when i vacuum" came out at 0.25 to 0.29 (benign lists 2 to 6, round 13): the screen
# then needs a little more.
ALARM_RUNNER_UP_MIN = 0.25
ALARM_BEHIND_FALLBACK_MIN = 0.3
ENTITY_KEY = "entity"
PATTERNS_FILE_KEY = "patterns_file"


# Exactly what a button or the widget sends: "/intent", "/intent{...}" or "/intent@0.9".
_INTENT_PAYLOAD = re.compile(
    re.escape(INTENT_MESSAGE_PREFIX) + r"[A-Za-z0-9_\-/]+(?:@[0-9.]+)?(?:\{.*\})?", re.DOTALL
)


def is_intent_payload(text: str) -> bool:
    """A structured `/intent{...}` payload; any other text starting with "/" is a message.

    Why: "/ I can't feel my legs" or "/numb groin" must still reach the red-flag rules;
    only a real payload (which names an intent and carries no symptom text) is skipped.
    """
    return bool(_INTENT_PAYLOAD.fullmatch(text.strip()))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagDetector(GraphComponent, IntentClassifier):
    """Overrides the predicted intent when the message reports a red-flag symptom."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            EMERGENCY_INTENT_KEY: names.REPORT_RED_FLAG,
            URGENT_INTENT_KEY: names.REPORT_URGENT_SYMPTOM,
            POSSIBLE_INTENT_KEY: names.REPORT_POSSIBLE_RED_FLAG,
            ENTITY_KEY: names.RED_FLAG_REASON,
            # None: the patterns file shipped with spinecare.safety.
            PATTERNS_FILE_KEY: None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **config}
        patterns_file = self.component_config[PATTERNS_FILE_KEY]
        self._rules = red_flags.load_rule_book(
            Path(patterns_file) if patterns_file else red_flags.PATTERNS_FILE
        )
        self._detectors: dict[int, tuple[Vocab, red_flags.RedFlagReader]] = {}
        self._lock = threading.Lock()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        return cls(config)

    def _detector_for(self, vocab: Vocab) -> red_flags.RedFlagReader:
        with self._lock:
            cached = self._detectors.get(id(vocab))
            if cached is None or cached[0] is not vocab:
                cached = (vocab, red_flags.RedFlagReader(vocab, rules=self._rules))
                self._detectors[id(vocab)] = cached
            return cached[1]

    def process(self, messages: list[Message]) -> list[Message]:
        """Override intent and add the reason entity for messages reporting a red flag."""
        for message in messages:
            text = message.get(TEXT)
            doc = message.get(SPACY_DOCS[TEXT])
            if not text or is_intent_payload(text) or not isinstance(doc, Doc):
                continue
            detector = self._detector_for(doc.vocab)
            finding, named = detector.assess(doc)
            if finding is not None:
                self._apply(message, finding)
            elif named:
                self._withdraw_alarm(message)
            else:
                self._mark_unconfirmed(message)
        return messages

    def _alarm_runner_up(self, message: Message) -> bool:
        """The classifier's alarm came a close second to an urgent sign or to giving up.

        "cant feel the toilet seat under me and my back is in a lot of pain": urgent 0.56,
        emergency 0.40 to the classifier, no sign the rules know. Such a message gets the
        safety screen too, rather than only "see a doctor soon".
        """
        top = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if top == names.NLU_FALLBACK:
            minimum = ALARM_BEHIND_FALLBACK_MIN
        elif top == self.component_config[URGENT_INTENT_KEY]:
            minimum = ALARM_RUNNER_UP_MIN
        else:
            return False
        alarm = self.component_config[EMERGENCY_INTENT_KEY]
        return any(
            entry.get(INTENT_NAME_KEY) == alarm
            and float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= minimum
            for entry in message.get(INTENT_RANKING_KEY) or []
        )

    def _mark_unconfirmed(self, message: Message) -> None:
        """A classifier alarm the rules cannot confirm becomes a possible red flag.

        So does an alarm close behind an urgent guess or nlu_fallback (`_alarm_runner_up`).
        The dialogue then asks about the emergency signs instead of sending the person to
        the emergency room, so a phrasing the rules miss is still never ignored; the
        classifier's ranking stays behind the possible red flag.
        """
        intent = message.get(INTENT) or {}
        alarm = self.component_config[EMERGENCY_INTENT_KEY]
        if intent.get(INTENT_NAME_KEY) != alarm and not self._alarm_runner_up(message):
            return
        possible = {
            INTENT_NAME_KEY: self.component_config[POSSIBLE_INTENT_KEY],
            PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY, 1.0),
        }
        message.set(INTENT, possible, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [possible, *(message.get(INTENT_RANKING_KEY) or [])],
            add_to_output=True,
        )
        entities = list(message.get(ENTITIES) or [])
        entities.append(
            {
                ENTITY_ATTRIBUTE_TYPE: self.component_config[ENTITY_KEY],
                ENTITY_ATTRIBUTE_VALUE: UNCONFIRMED_REASON,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(message.get(TEXT) or ""),
                ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
                EXTRACTOR: self.__class__.__name__,
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)

    def _withdraw_alarm(self, message: Message) -> None:
        """Classifier alarm for a sign the rules saw and ruled out: take its next guess.

        "No numbness in my groin" or "I had a bladder infection two years ago" name a red
        flag without reporting one; the statistical classifier cannot tell, the rules can.
        Only the emergency alarm is withdrawn: "see a doctor soon" advice does no harm.
        """
        alarm = self.component_config[EMERGENCY_INTENT_KEY]
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != alarm:
            return
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) != alarm
        ]
        if ranking:
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _apply(self, message: Message, finding: red_flags.RedFlagFinding) -> None:
        emergency_intent = self.component_config[EMERGENCY_INTENT_KEY]
        old_intent = message.get(INTENT) or {}
        old_name = old_intent.get(INTENT_NAME_KEY)
        if finding.is_emergency:
            new_name = emergency_intent
        elif old_name == emergency_intent:
            return
        else:
            new_name = self.component_config[URGENT_INTENT_KEY]

        new_intent = {INTENT_NAME_KEY: new_name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [new_intent]
        if old_name and old_name != new_name:
            ranking.append(old_intent)
        ranking.extend(
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) not in {new_name, old_name}
        )
        message.set(INTENT, new_intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

        entity_name = self.component_config[ENTITY_KEY]
        entities = [
            entity
            for entity in message.get(ENTITIES) or []
            if entity.get(ENTITY_ATTRIBUTE_TYPE) != entity_name
        ]
        entities.append(
            {
                ENTITY_ATTRIBUTE_TYPE: entity_name,
                ENTITY_ATTRIBUTE_VALUE: finding.reason,
                ENTITY_ATTRIBUTE_START: finding.start,
                ENTITY_ATTRIBUTE_END: finding.end,
                ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
                EXTRACTOR: self.__class__.__name__,
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)
