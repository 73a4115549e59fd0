"""The text channels' records: who opted out, which messages were taken in, who is who.

Why here and not in the channels: the opt-out registry must be honoured by every
sender of text messages, today the assistant's SMS, WhatsApp and Messenger
channels, later anything the consultants' side sends. `may_text` and
`check_may_text` are the one check all of them use; they need only a database
session, no Rasa and no Twilio.

Addresses: a phone number is its E.164 form ("+13125550199") for SMS and WhatsApp
alike, because consent to be texted belongs to the person's number, not to an app;
a Messenger person is "messenger:<page-scoped id>". `opt_out_address` makes one
from a channel and a sender.

Addresses are stored encrypted; every lookup goes through their keyed hash
(`address_hash`, `spinecare.crypto.stored_lookup_hash`), never the value.

Every function that writes commits its own work. Nothing here logs or puts a phone
number into an exception message.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinecare.crypto import stored_lookup_hash
from spinecare.storage.models import (
    MESSAGING_CHANNELS,
    OPT_OUT_METHODS,
    InboundMessage,
    MessagingContact,
    MessagingOptOut,
    PatientRequest,
    utcnow,
)
from spinecare.storage.repository import record_audit

E164 = re.compile(r"\+[1-9]\d{7,14}")
PSID = re.compile(r"\d{1,40}")
# How long a provider's message id is remembered: far beyond any webhook retry.
INBOUND_RETENTION = timedelta(days=7)
# WhatsApp and Messenger allow free-form (non-template) messages this long after the
# person's last message.
SESSION_WINDOW = timedelta(hours=24)
PATIENT_ACTOR = "patient"


class OptedOut(Exception):
    """The address has opted out of messages; nothing may be sent to it."""

    def __init__(self) -> None:
        super().__init__("this number has opted out of text messages (STOP)")


def opt_out_address(channel: str, sender: str) -> str:
    """The registry key for `sender` on `channel` (see the module docstring)."""
    if channel in ("sms", "whatsapp"):
        if not E164.fullmatch(sender):
            raise ValueError("a phone sender must be an E.164 number")
        return sender
    if channel == "messenger":
        if not PSID.fullmatch(sender):
            raise ValueError("a Messenger sender must be a page-scoped id")
        return f"messenger:{sender}"
    raise ValueError(f"unknown messaging channel {channel!r}")


# --- the opt-out registry -----------------------------------------------------------


def is_opted_out(session: Session, address: str) -> bool:
    return bool(
        session.execute(
            select(MessagingOptOut.opted_out).where(
                MessagingOptOut.address_hash == stored_lookup_hash(address)
            )
        ).scalar_one_or_none()
    )


def may_text(session: Session, address: str) -> bool:
    """Whether anything may be sent to `address` (a phone number or messenger:<id>) now."""
    return not is_opted_out(session, address)


def check_may_text(session: Session, address: str) -> None:
    """Raise OptedOut unless `address` may be sent a message: call it before every send."""
    if is_opted_out(session, address):
        raise OptedOut()


def _change(session: Session, address: str, opted_out: bool, channel: str, method: str | None):
    if channel not in MESSAGING_CHANNELS:
        raise ValueError(f"unknown messaging channel {channel!r}")
    if method is not None and method not in OPT_OUT_METHODS:
        raise ValueError(f"opt-out method must be one of {', '.join(OPT_OUT_METHODS)}")
    now = utcnow()
    for _ in range(2):  # a concurrent first insert for the same address loses once, then updates
        row = opt_out_record(session, address)
        if row is None:
            row = MessagingOptOut(address=address, opted_out=opted_out, channel=channel)
            session.add(row)
        row.opted_out = opted_out
        row.channel = channel
        row.updated_at = now
        if opted_out:
            row.method = method
            row.opted_out_at = now
        else:
            row.opted_in_at = now
        references = _references_of(session, address)
        action = "messages_opt_out" if opted_out else "messages_opt_in"
        detail: dict[str, Any] = {"channel": channel}
        if method:
            detail["method"] = method
        for reference in references or [None]:
            record_audit(session, PATIENT_ACTOR, action, reference, detail)
        try:
            session.commit()
            return row
        except IntegrityError:
            session.rollback()
    raise RuntimeError("could not record the opt-out change; try again")


def _references_of(session: Session, address: str) -> list[str]:
    """The requests of this person, so their audit trail shows the consent change."""
    return list(
        session.execute(
            select(PatientRequest.reference).where(
                or_(
                    PatientRequest.phone_hash == stored_lookup_hash(address),
                    PatientRequest.sender_hash == stored_lookup_hash(address),
                )
            )
        ).scalars()
    )


def record_opt_out(session: Session, address: str, channel: str, method: str) -> None:
    """Record that `address` revoked consent (STOP or plain words); audited per request."""
    _change(session, address, True, channel, method)


def record_opt_in(session: Session, address: str, channel: str) -> None:
    """Record START/UNSTOP: `address` may be sent messages again; audited per request."""
    _change(session, address, False, channel, None)


def opted_out_addresses(session: Session, addresses: Sequence[str]) -> set[str]:
    """Which of `addresses` are opted out (one query, for lists)."""
    wanted = [address for address in addresses if address]
    if not wanted:
        return set()
    hashes = {stored_lookup_hash(address): address for address in wanted}
    return {
        hashes[found]
        for found in session.execute(
            select(MessagingOptOut.address_hash).where(
                MessagingOptOut.address_hash.in_(sorted(hashes)),
                MessagingOptOut.opted_out.is_(True),
            )
        ).scalars()
    }


def opt_out_record(session: Session, address: str) -> MessagingOptOut | None:
    return session.execute(
        select(MessagingOptOut).where(MessagingOptOut.address_hash == stored_lookup_hash(address))
    ).scalar_one_or_none()


# --- provider message ids -----------------------------------------------------------


def claim_inbound(session: Session, provider: str, message_id: str) -> bool:
    """True the first time `message_id` from `provider` is seen, False for any repeat.

    The unique constraint decides races between replicas receiving the same retry.
    """
    now = utcnow()
    session.add(InboundMessage(provider=provider, message_id=message_id, received_at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    if secrets.randbelow(100) == 0:
        session.execute(
            delete(InboundMessage).where(InboundMessage.received_at < now - INBOUND_RETENTION)
        )
        session.commit()
    return True


# --- contacts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    conversation_id: str
    channel: str
    address: str
    last_inbound_at: datetime
    pending_choices: tuple[dict[str, str], ...]

    def within_session_window(self, now: datetime | None = None) -> bool:
        """Whether a free-form message may still be sent (WhatsApp, Messenger: 24 hours)."""
        return (now or utcnow()) - self.last_inbound_at < SESSION_WINDOW


def _contact(row: MessagingContact) -> Contact:
    return Contact(
        conversation_id=row.conversation_id,
        channel=row.channel,
        address=row.address,
        last_inbound_at=row.last_inbound_at,
        pending_choices=tuple(row.pending_choices or ()),
    )


def new_conversation_id(channel: str) -> str:
    return f"{channel}-{secrets.token_hex(12)}"


def contact_for_inbound(session: Session, channel: str, address: str) -> Contact:
    """The contact for a message just received (created on first contact); stamps its time.

    SMS and WhatsApp from one phone are two contacts, two conversations (docs/channels.md).
    """
    if channel not in MESSAGING_CHANNELS:
        raise ValueError(f"unknown messaging channel {channel!r}")
    for _ in range(2):
        row = session.execute(
            select(MessagingContact).where(
                MessagingContact.channel == channel,
                MessagingContact.address_hash == stored_lookup_hash(address),
            )
        ).scalar_one_or_none()
        now = utcnow()
        if row is None:
            row = MessagingContact(
                conversation_id=new_conversation_id(channel),
                channel=channel,
                address=address,
                created_at=now,
            )
            session.add(row)
        row.last_inbound_at = now
        try:
            session.commit()
            return _contact(row)
        except IntegrityError:
            session.rollback()
    raise RuntimeError("could not record the contact; try again")


def contact_by_conversation(session: Session, conversation_id: str) -> Contact | None:
    row = session.execute(
        select(MessagingContact).where(MessagingContact.conversation_id == conversation_id)
    ).scalar_one_or_none()
    return _contact(row) if row else None


def set_pending_choices(
    session: Session, conversation_id: str, choices: Sequence[dict[str, str]]
) -> None:
    """Remember the choices just shown (an empty list forgets the previous ones)."""
    row = session.execute(
        select(MessagingContact).where(MessagingContact.conversation_id == conversation_id)
    ).scalar_one_or_none()
    if row is not None:
        row.pending_choices = [dict(choice) for choice in choices] or None
        session.commit()
