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
    """Pick the retrieval response for `retrieval_intent` if its confidence reaches `threshold`."""
    selected = (selector_output or {}).get(retrieval_intent) or {}
    response = selected.get("response") or {}
    confidence = float(response.get("confidence") or 0.0)
    key = response.get("intent_response_key")
    action = response.get("utter_action")
    if not key or not action or confidence < threshold:
        return Choice(None, key, confidence)
    return Choice(action, key, confidence)
