"""What every input channel checks before a message reaches NLU.

Why here and not in NLU: a 100 MB body or a thousand messages a minute cost
CPU and, through the intake, emails and webhooks to the consultants; they are
refused at the door, politely, with the emergency number repeated because a refused
message never reaches the red-flag detector.
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from collections.abc import Sequence
from typing import Any

from rasa.shared.exceptions import RasaException
from sanic import Sanic
from sanic.request import Request

from spinecare import keys, settings
from spinecare.events import log_event
from spinecare.ratelimit import CLIENT_METADATA_KEY, Limiter

EMERGENCY_REMINDER = "If this is an emergency, call 911 or go to the nearest emergency room."
TOO_LONG = (
    "That message is longer than I can read (at most {limit} characters). "
    "Could you say it in fewer words? " + EMERGENCY_REMINDER
)
TOO_FAST = (
    "You're sending messages faster than I can answer. Please wait a minute, then "
    "try again. " + EMERGENCY_REMINDER
)
TOO_MANY_SESSIONS = (
    "Too many new chats have started from your network in the last minute. Please "
    "wait a minute, then reload the page. " + EMERGENCY_REMINDER
)
RASA_DEFAULT_INTERFACE = "0.0.0.0"  # noqa: S104 (what `rasa run` binds without -i)


class ExposureRefused(RasaException):
    """A channel would be reachable without the secret that protects it; Rasa prints why."""


def session_keys(conf: settings.Settings) -> tuple[str, ...]:
    try:
        return keys.session_secrets(conf)
    except keys.SecretError as error:
        raise ExposureRefused(str(error)) from None


def cap_request_size(app: Sanic, max_body_bytes: int) -> None:
    """HTTP bodies and websocket frames above the limit are refused (413 / close)."""
    app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, max_body_bytes)
    app.config.WEBSOCKET_MAX_SIZE = min(app.config.WEBSOCKET_MAX_SIZE, max_body_bytes)


def client_ip(request: Request | None, proxies_count: int) -> str:
    """The client's address: the connecting peer, or the address our own proxies saw."""
    if request is None:
        return "unknown"
    if proxies_count > 0:
        forwarded = [
            part.strip()
            for part in request.headers.get("x-forwarded-for", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies_count:
            return forwarded[-proxies_count]
    return request.ip or "unknown"


def rasa_bind_interface(argv: Sequence[str] | None = None) -> str:
    """The address `rasa run` listens on, read from its command line (-i/--interface)."""
    argv = list(sys.argv if argv is None else argv)
    for index, arg in enumerate(argv):
        if arg in ("-i", "--interface") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--interface="):
            return arg.split("=", 1)[1]
    return RASA_DEFAULT_INTERFACE


class MessageGate:
    """Length and rate checks shared by the channels; counts live in this process."""

    def __init__(self, conf: settings.Settings, ip_key: str) -> None:
        self.conf = conf
        self._ip_key = ip_key.encode()
        self.session_messages = Limiter(conf.rate_session_messages_per_minute, 60)
        self.ip_messages = Limiter(conf.rate_ip_messages_per_minute, 60)
        self.ip_sessions = Limiter(conf.rate_ip_new_sessions_per_minute, 60)

    def ip_hash(self, ip: str) -> str:
        """A keyed hash of the address: countable, not reversible without the key."""
        return hmac.new(self._ip_key, b"client-ip:" + ip.encode(), hashlib.sha256).hexdigest()[:24]

    def metadata(self, ip: str | None) -> dict[str, Any]:
        """Message metadata the actions may rely on (clients' own metadata is dropped)."""
        return {CLIENT_METADATA_KEY: {"ip_hash": self.ip_hash(ip)}} if ip else {}

    def refusal(
        self, text: str, conversation_id: str, ip: str | None, channel: str
    ) -> tuple[str, str] | None:
        """(reason code, polite reply) when the message must not reach NLU, else None."""
        if len(text) > self.conf.max_message_chars:
            log_event("message_refused", conversation_id, channel=channel, outcome="too_long")
            return "too_long", TOO_LONG.format(limit=self.conf.max_message_chars)
        if not self.session_messages.hit(conversation_id) or (
            ip is not None and not self.ip_messages.hit(self.ip_hash(ip))
        ):
            log_event("message_refused", conversation_id, channel=channel, outcome="rate_limited")
            return "rate_limited", TOO_FAST
        return None

    def allow_new_session(self, ip: str) -> bool:
        return self.ip_sessions.hit(self.ip_hash(ip))
