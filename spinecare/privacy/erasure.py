"""Erasure ("delete me"): forget one person everywhere they are held.

Why a module of its own: erasing must reach every place a person's data lives (the
requests, their outbox jobs, the text-messaging contacts and the stored
conversations) and nothing else; and the console's confirmation step must show the
very counts the erasure would then remove, so both are found by one function here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from spinecare import settings
from spinecare.privacy.conversations import ConversationArchive, open_archive
from spinecare.privacy.person import NoSuchPerson, Person, _addresses, _hashes, requests_of
from spinecare.privacy.retention import _delete_jobs
from spinecare.storage import repository
from spinecare.storage.models import (
    MessagingContact,
    MessagingOptOut,
    OutboxJob,
    PatientRequest,
)


@dataclass
class ForgetResult:
    requests: int = 0
    outbox_jobs: int = 0
    conversations: int = 0
    messaging_contacts: int = 0
    # Opt-out records stay (the practice must keep honouring a STOP); counted, not erased.
    opt_outs_kept: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class _Targets:
    """What `forget` erases for one person, found without changing anything."""

    requests: list[PatientRequest]
    contacts: list[MessagingContact]
    addresses: set[str]
    conversation_ids: set[str]


def _forget_targets(session: Session, person: Person) -> _Targets:
    requests = requests_of(session, person)
    addresses = _addresses(person, requests)
    conversation_ids = {request.conversation_id for request in requests if request.conversation_id}
    contact_condition = []
    if addresses and person.reference is None:
        contact_condition.append(MessagingContact.address_hash.in_(_hashes(addresses)))
    if conversation_ids:
        contact_condition.append(MessagingContact.conversation_id.in_(sorted(conversation_ids)))
    contacts = (
        list(session.execute(select(MessagingContact).where(or_(*contact_condition))).scalars())
        if contact_condition
        else []
    )
    conversation_ids |= {contact.conversation_id for contact in contacts}
    return _Targets(requests, contacts, addresses, conversation_ids)


def _opt_outs(session: Session, addresses: set[str]) -> int:
    if not addresses:
        return 0
    return session.execute(
        select(func.count())
        .select_from(MessagingOptOut)
        .where(MessagingOptOut.address_hash.in_(_hashes(addresses)))
    ).scalar_one()


def forget_preview(
    session: Session,
    person: Person,
    *,
    conf: settings.Settings,
    conversations: ConversationArchive | None = None,
) -> ForgetResult:
    """The counts `forget` would erase now, erasing nothing (for a confirmation step).

    Raises NoSuchPerson when nothing matches, like `forget`.
    """
    targets = _forget_targets(session, person)
    if not targets.requests and not targets.contacts:
        session.rollback()
        raise NoSuchPerson("nothing is held under what was given")
    references = [request.reference for request in targets.requests]
    result = ForgetResult(
        requests=len(targets.requests),
        messaging_contacts=len(targets.contacts),
        opt_outs_kept=_opt_outs(session, targets.addresses),
    )
    if references:
        result.outbox_jobs = session.execute(
            select(func.count())
            .select_from(OutboxJob)
            .where(OutboxJob.request_reference.in_(references))
        ).scalar_one()
    session.rollback()
    with open_archive(conf, conversations) as conversations:
        result.conversations = len(conversations.existing(targets.conversation_ids))
    return result


def forget(
    session: Session,
    person: Person,
    actor: str,
    *,
    conf: settings.Settings,
    conversations: ConversationArchive | None = None,
    via: str | None = None,
) -> ForgetResult:
    """Erase the person's requests, outbox jobs, text contacts and stored conversations.

    By reference, only that request (and its conversation) is erased; by email or
    phone, every request naming it. Raises NoSuchPerson when nothing matches, so a
    typo is not mistaken for a completed erasure. `via` ("console") is audited.
    """
    targets = _forget_targets(session, person)
    requests, contacts = targets.requests, targets.contacts
    if not requests and not contacts:
        session.rollback()
        raise NoSuchPerson("nothing is held under what was given")

    result = ForgetResult()
    references = [request.reference for request in requests]
    for request in requests:
        session.expunge(request)
    if references:
        result.outbox_jobs = _delete_jobs(session, OutboxJob.request_reference.in_(references))
        result.requests = session.execute(
            delete(PatientRequest)
            .where(PatientRequest.reference.in_(references))
            .execution_options(synchronize_session=False)
        ).rowcount
    if contacts:
        result.messaging_contacts = session.execute(
            delete(MessagingContact)
            .where(MessagingContact.id.in_([contact.id for contact in contacts]))
            .execution_options(synchronize_session=False)
        ).rowcount
    result.opt_outs_kept = _opt_outs(session, targets.addresses)
    session.commit()

    with open_archive(conf, conversations) as conversations:
        result.conversations = conversations.delete(targets.conversation_ids)

    detail = {"by": person.named_by, **({"via": via} if via else {}), **result.as_dict()}
    repository.record_audit(session, actor, "privacy_forget", None, detail)
    session.commit()
    return result
