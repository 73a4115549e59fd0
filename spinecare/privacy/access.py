"""Access ("what do you hold about me?"): everything held about one person.

Why a module of its own: the right of access is answered with one export gathering
the person's requests, outbox jobs, text-messaging contacts and opt-outs, and stored
conversations; the export itself is audited (counts only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinecare import settings
from spinecare.privacy.conversations import ConversationArchive, open_archive
from spinecare.privacy.person import Person, _addresses, _hashes, requests_of
from spinecare.storage import repository
from spinecare.storage.models import MessagingContact, MessagingOptOut, OutboxJob


@dataclass
class Export:
    requests: list[dict[str, Any]] = field(default_factory=list)
    outbox_jobs: list[dict[str, Any]] = field(default_factory=list)
    messaging_contacts: list[dict[str, Any]] = field(default_factory=list)
    messaging_opt_outs: list[dict[str, Any]] = field(default_factory=list)
    conversations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "outbox_jobs": self.outbox_jobs,
            "messaging_contacts": self.messaging_contacts,
            "messaging_opt_outs": self.messaging_opt_outs,
            "conversations": self.conversations,
        }

    def counts(self) -> dict[str, int]:
        return {name: len(value) for name, value in self.as_dict().items()}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def export_person(
    session: Session,
    person: Person,
    actor: str,
    *,
    conf: settings.Settings,
    conversations: ConversationArchive | None = None,
    via: str | None = None,
) -> Export:
    """Everything held about the person (right of access); the export is audited.

    `via` ("console") is audited too.
    """
    requests = requests_of(session, person)
    addresses = _addresses(person, requests)
    conversation_ids = {request.conversation_id for request in requests if request.conversation_id}
    result = Export(requests=[repository.as_dict(request) for request in requests])
    references = [request.reference for request in requests]
    if references:
        jobs = session.execute(
            select(OutboxJob)
            .where(OutboxJob.request_reference.in_(references))
            .order_by(OutboxJob.id)
        ).scalars()
        result.outbox_jobs = [
            {
                "reference": job.request_reference,
                "kind": job.kind,
                "status": job.status,
                "attempts": job.attempts,
                "created_at": _iso(job.created_at),
                "delivered_at": _iso(job.delivered_at),
                "payload": job.payload,
            }
            for job in jobs
        ]
    if addresses:
        contacts = session.execute(
            select(MessagingContact)
            .where(MessagingContact.address_hash.in_(_hashes(addresses)))
            .order_by(MessagingContact.id)
        ).scalars()
        for contact in contacts:
            conversation_ids.add(contact.conversation_id)
            result.messaging_contacts.append(
                {
                    "channel": contact.channel,
                    "address": contact.address,
                    "conversation_id": contact.conversation_id,
                    "created_at": _iso(contact.created_at),
                    "last_inbound_at": _iso(contact.last_inbound_at),
                }
            )
        opt_outs = session.execute(
            select(MessagingOptOut)
            .where(MessagingOptOut.address_hash.in_(_hashes(addresses)))
            .order_by(MessagingOptOut.id)
        ).scalars()
        result.messaging_opt_outs = [
            {
                "address": row.address,
                "opted_out": row.opted_out,
                "channel": row.channel,
                "opted_out_at": _iso(row.opted_out_at),
                "opted_in_at": _iso(row.opted_in_at),
            }
            for row in opt_outs
        ]
    with open_archive(conf, conversations) as conversations:
        result.conversations = conversations.events(conversation_ids)
    detail = {"by": person.named_by, **({"via": via} if via else {}), **result.counts()}
    repository.record_audit(session, actor, "privacy_export", None, detail)
    session.commit()
    return result
