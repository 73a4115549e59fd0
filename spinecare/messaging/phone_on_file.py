"""The phone on file: on SMS/WhatsApp, offer the number the patient is texting from.

Why: asking someone who is texting us for their phone number again is a wasted
question and an easy place for a typo. On SMS and WhatsApp the sender's number is
known (and verified by the carrier or WhatsApp), so the intake asks "Is +1 312 555
0199 the best number to reach you?" instead; a yes takes it, any other number given
in the answer is validated and used instead, and "no" asks for the number.

The channels put the sender into every message's metadata
(`{"channel": "sms", "sender": "+13125550199"}`); the intake reads it with
`sender_phone(tracker.latest_message.get("metadata"))`. How the intake form wires
these functions in is described in docs/channels.md ("For the intake").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinecare.intake import validators
from spinecare.messaging import PHONE_CHANNELS, TEXT_CHANNELS

_E164 = re.compile(r"\+[1-9]\d{7,14}")
_MESSENGER = re.compile(r"messenger:\d{1,40}")
OTHER_NUMBER_PAYLOAD = "another number"
ASK_OTHER_NUMBER = "What number should we use instead?"
UNCLEAR = "Please answer yes to use this number, or send the number you'd like us to use."


def message_channel(metadata: Mapping[str, Any] | None) -> str | None:
    """The text channel ("sms", "whatsapp", "messenger") a message came in on, if any."""
    channel = (metadata or {}).get("channel")
    return channel if channel in TEXT_CHANNELS else None


def message_sender(metadata: Mapping[str, Any] | None) -> str | None:
    """The sender for the consent record: an E.164 number or "messenger:<page-scoped id>"."""
    metadata = metadata or {}
    sender = metadata.get("sender")
    channel = message_channel(metadata)
    if not isinstance(sender, str) or channel is None:
        return None
    pattern = _E164 if channel in PHONE_CHANNELS else _MESSENGER
    return sender if pattern.fullmatch(sender) else None


def sender_phone(metadata: Mapping[str, Any] | None) -> str | None:
    """The E.164 number an SMS or WhatsApp message came from; None on other channels."""
    if message_channel(metadata) not in PHONE_CHANNELS:
        return None
    return message_sender(metadata)


def display_phone(e164: str) -> str:
    """+13125550199 as people read it: "+1 312 555 0199"."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return formatted.replace("-", " ")


def offer_question(e164: str) -> tuple[str, list[dict[str, str]]]:
    """The question (and its buttons) that replaces "What is the best phone number...?"."""
    return (
        f"Is {display_phone(e164)} the best number to reach you?",
        [
            {"title": "Yes", "payload": "yes"},
            {"title": "Use another number", "payload": OTHER_NUMBER_PAYLOAD},
        ],
    )


@dataclass(frozen=True)
class OfferAnswer:
    """The phone to store, or what to say before asking again (exactly one is set)."""

    phone: str | None = None
    reask: str | None = None


def parse_offer_answer(text: str | None, offered: str) -> OfferAnswer:
    """Read the answer to `offer_question(offered)`.

    A number in the answer wins ("no, use 312 555 0100"); otherwise yes takes the
    offered number, no (or "another number") asks for one.
    """
    text = (text or "").strip()
    if sum(ch.isdigit() for ch in text) >= 7:
        result = validators.validate_phone(text)
        return OfferAnswer(phone=result.value) if result.ok else OfferAnswer(reask=result.reason)
    if text.lower() == OTHER_NUMBER_PAYLOAD:
        return OfferAnswer(reask=ASK_OTHER_NUMBER)
    answer = validators.parse_yes_no(text)
    if answer is True:
        return OfferAnswer(phone=offered)
    if answer is False:
        return OfferAnswer(reask=ASK_OTHER_NUMBER)
    return OfferAnswer(reask=UNCLEAR)
