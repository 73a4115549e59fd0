"""Choosing a clinic answer from the ResponseSelector's output, or declining to guess.

Why: a wrong clinical answer is worse than none. When the selector is not
confident, the assistant asks the person to pick a topic instead of answering.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """The answer to give (`utter_action`) or, when `utter_action` is None, why not."""

    utter_action: str | None
    topic: str | None
    confidence: float


def choose_answer(selector_output: dict | None, retrieval_intent: str, threshold: float) -> Choice:
    """Pick the retrieval response for `retrieval_intent` if its confidence reaches `threshold`.

    One ResponseSelector serves every retrieval intent, so Rasa files its output under
    "default" (or under the intent's name when a selector is configured per intent). An
    answer from another retrieval intent than the one classified is not given either.
    """
    output = selector_output or {}
    selected = output.get(retrieval_intent) or output.get("default") or {}
    response = selected.get("response") or {}
    confidence = float(response.get("confidence") or 0.0)
    key = response.get("intent_response_key")
    action = response.get("utter_action")
    belongs = bool(key) and key.split("/", 1)[0] == retrieval_intent
    if not belongs or not action or confidence < threshold:
        return Choice(None, key, confidence)
    return Choice(action, key, confidence)
