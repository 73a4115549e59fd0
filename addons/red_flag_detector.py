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
- a classifier alarm with no sign the rules know keeps `report_red_flag` with the
  reason `unconfirmed`: the dialogue asks about the emergency signs rather than
  ignoring it or sending the person to the emergency room on a guess.

The component reads the spaCy `Doc` that SpacyNLP put on the message (so SpacyNLP must
come earlier in the pipeline) and keeps one detector per spaCy vocabulary, because
matchers are bound to a vocab. Messages that are intent payloads ("/greet") are skipped.
Nothing here logs message text or symptoms.
"""

from __future__ import annotations

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

from spinecare.safety import red_flags

UNCONFIRMED_REASON = "unconfirmed"
EMERGENCY_INTENT_KEY = "emergency_intent"
URGENT_INTENT_KEY = "urgent_intent"
ENTITY_KEY = "entity"
PATTERNS_FILE_KEY = "patterns_file"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagDetector(GraphComponent, IntentClassifier):
    """Overrides the predicted intent when the message reports a red-flag symptom."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            EMERGENCY_INTENT_KEY: "report_red_flag",
            URGENT_INTENT_KEY: "report_urgent_symptom",
            ENTITY_KEY: "red_flag_reason",
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
        self._detectors: dict[int, tuple[Vocab, red_flags.RedFlagDetector]] = {}
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

    def _detector_for(self, vocab: Vocab) -> red_flags.RedFlagDetector:
        with self._lock:
            cached = self._detectors.get(id(vocab))
            if cached is None or cached[0] is not vocab:
                cached = (vocab, red_flags.RedFlagDetector(vocab, rules=self._rules))
                self._detectors[id(vocab)] = cached
            return cached[1]

    def process(self, messages: list[Message]) -> list[Message]:
        """Override intent and add the reason entity for messages reporting a red flag."""
        for message in messages:
            text = message.get(TEXT)
            doc = message.get(SPACY_DOCS[TEXT])
            if not text or text.startswith(INTENT_MESSAGE_PREFIX) or not isinstance(doc, Doc):
                continue
            detector = self._detector_for(doc.vocab)
            finding = detector.detect(doc)
            if finding is not None:
                self._apply(message, finding)
            elif detector.mentions_sign(doc):
                self._withdraw_alarm(message)
            else:
                self._mark_unconfirmed(message)
        return messages

    def _mark_unconfirmed(self, message: Message) -> None:
        """A classifier alarm the rules cannot confirm keeps its intent, marked "unconfirmed".

        The dialogue then asks about the emergency signs instead of sending the person to
        the emergency room, so a phrasing the rules miss is still never ignored.
        """
        if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != self.component_config[
            EMERGENCY_INTENT_KEY
        ]:
            return
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
