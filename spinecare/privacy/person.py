"""Who is meant: a person as named to the practice (email, phone or reference).

Why a module of its own: purge aside, every privacy duty (erasure, access) starts by
finding the same person's requests and text-channel addresses, and must find them the
same way. Values are matched through their lookup hashes only (they are stored
encrypted), after the same normalising an operator's typing gets everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from spinecare.crypto import stored_lookup_hash
from spinecare.storage import repository
from spinecare.storage.models import PatientRequest


class NoSuchPerson(LookupError):
    """Nothing is held under the email, phone or reference given."""


@dataclass(frozen=True)
class Person:
    """How a person is named in a request: at least one of the three."""

    email: str | None = None
    phone: str | None = None
    reference: str | None = None

    def __post_init__(self) -> None:
        if not (self.email or self.phone or self.reference):
            raise ValueError("give an email, a phone number or a reference")

    @property
    def named_by(self) -> str:
        """Which identifiers were given (for the audit trail: names, never values)."""
        return ",".join(
            name for name in ("email", "phone", "reference") if getattr(self, name) is not None
        )


def normalise_email(text: str) -> str:
    return (text or "").strip().lower()


def normalise_phone(text: str) -> str:
    """E.164 as stored ("+12125550182") from what an operator types ("(212) 555-0182")."""
    raw = (text or "").strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        return "+" + digits
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    return "+" + digits if digits else raw


def person_filter(person: Person) -> Any:
    """The WHERE clause matching the person's requests (exact matches on the lookup hashes)."""
    conditions = []
    if person.email is not None:
        email_hash = stored_lookup_hash(normalise_email(person.email))
        conditions.append(PatientRequest.email_hash == email_hash)
    if person.phone is not None:
        phone_hash = stored_lookup_hash(normalise_phone(person.phone))
        conditions.append(PatientRequest.phone_hash == phone_hash)
        conditions.append(PatientRequest.sender_hash == phone_hash)
    if person.reference is not None:
        conditions.append(
            PatientRequest.reference == repository.normalise_reference(person.reference)
        )
    return or_(*conditions)


def requests_of(session: Session, person: Person) -> list[PatientRequest]:
    return list(
        session.execute(
            select(PatientRequest)
            .where(person_filter(person))
            .order_by(PatientRequest.created_at, PatientRequest.id)
        ).scalars()
    )


def _addresses(person: Person, requests: Sequence[PatientRequest]) -> set[str]:
    """Text-channel addresses of the person: their phone numbers and senders."""
    found = {value for request in requests for value in (request.phone, request.sender) if value}
    if person.phone is not None:
        found.add(normalise_phone(person.phone))
    return found


def _hashes(addresses: Iterable[str]) -> list[str]:
    return sorted({stored_lookup_hash(address) for address in addresses if address})
