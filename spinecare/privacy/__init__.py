"""Retention, erasure and access: what the practice keeps about a person, and for how long.

Why one package: a practice must be able to answer "how long do you keep it?",
"delete me" and "what do you hold about me?" (HIPAA's minimum necessary and right of
access, state privacy laws) from one place that knows every table and the
conversation (tracker) store. docs/privacy.md lists those places. Each concern has a
module of its own:

- `person`: who is meant (`Person`, by email, phone or reference) and their requests.
- `conversations`: the conversation store (`ConversationArchive`), without Rasa.
- `retention`: `purge()` deletes what has outlived its retention setting: closed
  requests, delivered and dead outbox jobs, stored conversations, sign-in attempts.
  The dispatcher runs it every SPINECARE_PURGE_INTERVAL_HOURS; `spinecare privacy
  purge` runs it by hand.
- `erasure`: `forget()` erases one person (by email, phone or reference) from the
  requests, their outbox jobs, the text-messaging contacts and the stored
  conversations of their requests; `forget_preview()` counts it first.
- `access`: `export_person()` gathers everything held about one person.
- `keys`: `rotate_keys()` re-encrypts every stored value with the newest data key.

Each one writes a single audit event holding counts only, never a value: the audit
trail must not become a copy of what was erased.

Callers use `spinecare.privacy.<name>`; every public name is re-exported here.
"""

from __future__ import annotations

from spinecare.privacy.access import Export, export_person
from spinecare.privacy.conversations import (
    REDIS_KEY_PREFIX,
    ConversationArchive,
    Decoder,
    _conversation_decoder,
    archive,
)
from spinecare.privacy.erasure import ForgetResult, forget, forget_preview
from spinecare.privacy.keys import encrypted_columns, rotate_keys
from spinecare.privacy.person import (
    NoSuchPerson,
    Person,
    normalise_email,
    normalise_phone,
    person_filter,
    requests_of,
)
from spinecare.privacy.retention import PurgeResult, purge

__all__ = [
    "REDIS_KEY_PREFIX",
    "ConversationArchive",
    "Decoder",
    "Export",
    "ForgetResult",
    "NoSuchPerson",
    "Person",
    "PurgeResult",
    "_conversation_decoder",
    "archive",
    "encrypted_columns",
    "export_person",
    "forget",
    "forget_preview",
    "normalise_email",
    "normalise_phone",
    "person_filter",
    "purge",
    "requests_of",
    "rotate_keys",
]
