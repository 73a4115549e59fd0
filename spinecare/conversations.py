"""Forgetting a form's answers in the stored conversation, when the assistant says it does.

Why: the bot tells people "nothing is saved until you agree" and, after cancel,
decline, under 18 or a red-flag stop, that nothing was kept. Rasa's tracker store
would still hold every message they typed, every echo of it and every slot value.
After a successful submission the request is in the requests database, so the
conversation need not keep a second copy either (minimum necessary).

How: every path that ends a form goes through `actions.intake.reset_intake()` or
`actions.handoff.reset_callback()`, which now also emit `forget_marker(form)`: an
ordinary `SlotSet("requested_slot", None)` carrying `{"spinecare_forget": <form>}`
in its metadata (Rasa keeps event metadata; no domain change, nothing shown). When
the tracker store saves a conversation containing a marker, `redact` blanks, from
the form's last activation up to the marker: user texts and parse data (the intent
name stays, for the dialogue policies), bot texts and buttons, and slot values
(except `requested_slot`, which names a question, not an answer).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

FORGET_KEY = "spinecare_forget"
FORMS = ("mri_review_form", "callback_form")
KEEP_SLOTS = frozenset({"requested_slot"})


def forget_marker(form: str) -> dict[str, Any]:
    """The event (rasa-sdk dict) that asks the tracker store to forget `form`'s answers."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    return {
        "event": "slot",
        "timestamp": None,
        "name": "requested_slot",
        "value": None,
        "metadata": {FORGET_KEY: form},
    }


def marker_form(event: dict[str, Any]) -> str | None:
    """The form a stored event asks to forget, or None if it is not a marker."""
    if event.get("event") != "slot":
        return None
    form = (event.get("metadata") or {}).get(FORGET_KEY)
    return form if form in FORMS else None


def has_marker(events: Iterable[dict[str, Any]]) -> bool:
    return any(marker_form(event) for event in events)


def ranges(events: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """(first, last) indexes of the events each marker forgets, inclusive.

    A marker forgets from its form's latest activation before it. A marker whose form
    was not activated since the previous marker for it (a red flag outside a form
    emits markers for both forms) forgets nothing.
    """
    found = []
    for index, event in enumerate(events):
        form = marker_form(event)
        if form is None:
            continue
        for start in range(index - 1, -1, -1):
            earlier = events[start]
            if marker_form(earlier) == form:
                break
            if earlier.get("event") == "active_loop" and earlier.get("name") == form:
                found.append((start, index))
                break
    return found


def redact_event(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of one event without what the person typed or what echoed it."""
    kind = event.get("event")
    if kind == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        return {
            **event,
            "text": "",
            "metadata": {},
            "parse_data": {
                "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
                "entities": [{"entity": e.get("entity")} for e in parse.get("entities") or []],
                "text": "",
                "message_id": parse.get("message_id"),
                "metadata": {},
            },
        }
    if kind == "bot":
        metadata = event.get("metadata") or {}
        kept = {"utter_action": metadata["utter_action"]} if "utter_action" in metadata else {}
        return {**event, "text": "", "data": {}, "metadata": kept}
    if kind == "slot" and event.get("name") not in KEEP_SLOTS:
        return {**event, "value": None}
    if kind == "entities":
        return {**event, "entities": []}
    return event


def redact(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events with every marker's range redacted (idempotent; input unchanged)."""
    result = [copy.copy(event) for event in events]
    for first, last in ranges(events):
        for index in range(first, last + 1):
            result[index] = redact_event(result[index])
    return result
