"""Chat session ids the server issues and can recognise: `<key id>.<conversation>.<issued>.<mac>`.

Why signed: the socket.io widget keeps its session id in the browser and sends it
back after a reload (`session_request`), and Rasa 3.6 trusts any id it is given, so
anyone who typed a patient's id could read and write that patient's conversation.
An id is only accepted if its HMAC verifies with one of our keys; everything else
gets a fresh session.

- The conversation part (32 random hex digits) is Rasa's sender id, the name used
  in the tracker store and in logs. It is not a credential: without the MAC it
  cannot be turned into a usable session id.
- The key id (8 hex digits derived from the key) says which key signed it, so keys
  can rotate: configure the new key first and keep the old one until every id it
  signed has expired (SPINECARE_CONVERSATION_RETENTION_HOURS).
- `issued` (seconds, base 36) bounds the id's life to the retention period.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"([0-9a-f]{8})\.([0-9a-f]{32})\.([0-9a-z]{1,13})\.([A-Za-z0-9_-]{43})")
MAX_CLOCK_SKEW_SECONDS = 300


def key_id(key: str) -> str:
    """A short public name for a key (not a hash an attacker could use: it is truncated)."""
    return hashlib.sha256(b"spinecare-session-key-id:" + key.encode()).hexdigest()[:8]


def _mac(key: str, payload: str) -> str:
    digest = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


@dataclass(frozen=True)
class Session:
    token: str  # what the browser keeps and sends back
    conversation_id: str  # Rasa's sender id


class SessionSigner:
    """Issues and verifies session ids with the newest key; verifies with any listed key."""

    def __init__(self, keys: Sequence[str], max_age_seconds: float) -> None:
        if not keys:
            raise ValueError("at least one session key is needed")
        self._keys = [(key_id(key), key) for key in keys]
        self.max_age_seconds = max_age_seconds

    def issue(self, now: float | None = None) -> Session:
        kid, key = self._keys[0]
        conversation = secrets.token_hex(16)
        issued = _base36(int(time.time() if now is None else now))
        payload = f"{kid}.{conversation}.{issued}"
        return Session(f"{payload}.{_mac(key, payload)}", conversation)

    def verify(self, token: object, now: float | None = None) -> Session | None:
        """The session `token` names, or None if it is not one of ours or has expired."""
        if not isinstance(token, str) or len(token) > 128:
            return None
        match = _TOKEN.fullmatch(token)
        if match is None:
            return None
        kid, conversation, issued, mac = match.groups()
        valid = False
        for candidate_kid, key in self._keys:
            expected = _mac(key, f"{kid}.{conversation}.{issued}")
            # compare every key's MAC, whatever the key id says, in constant time
            valid |= hmac.compare_digest(expected, mac) and candidate_kid == kid
        if not valid:
            return None
        age = (time.time() if now is None else now) - int(issued, 36)
        if age > self.max_age_seconds or age < -MAX_CLOCK_SKEW_SECONDS:
            return None
        return Session(token, conversation)
