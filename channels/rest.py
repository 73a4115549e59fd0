"""The REST channel, for back-ends: a bearer token when exposed, a sender always.

Why a subclass of Rasa's `RestInput`: Rasa's accepts any sender (or none: the
shared conversation "default") from anyone who reaches the port, takes the
`input_channel` name and metadata from the body, and logs the message text when
handling it fails. Here:

- with SPINECARE_REST_TOKEN set, `Authorization: Bearer <token>` is required
  (constant-time compare), else 401 and nothing runs;
- with it empty (the development default) the Rasa server refuses to start unless
  it listens on loopback (`check_exposure`);
- a sender id is required (1-128 characters of `A-Z a-z 0-9 _ . : @ -`), the
  channel name is always "rest", clients' metadata is dropped;
- message length and messages per sender are limited (`channels.common`); an
  over-long message gets a polite reply, a rate-limited one 429 with a polite reply.
REST callers are trusted back-ends relaying many users, so there is no per-address
limit here; limit them at the proxy if needed.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import (
    ExposureRefused,
    MessageGate,
    cap_request_size,
    rasa_bind_interface,
    session_keys,
)
from spinecare import keys, settings
from spinecare.events import log_event

SENDER = re.compile(r"[A-Za-z0-9_.:@\-]{1,128}")


def check_exposure(conf: settings.Settings, interface: str) -> None:
    """Refuse a token-less REST channel on anything but loopback (one sentence why)."""
    problem = keys.rest_exposure_problem(conf, interface)
    if problem:
        raise ExposureRefused(problem)


class _CappedBlueprint(Blueprint):
    def __init__(self, *args: Any, max_body_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.max_body_bytes = max_body_bytes

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        cap_request_size(app, self.ctx.max_body_bytes)
        super().register(app, options)


def _error(status: int, message: str, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers or None)


class TokenRestInput(RestInput):
    """REST with a bearer token and a required sender (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        return cls(settings.load())

    def __init__(self, conf: settings.Settings, argv: Sequence[str] | None = None) -> None:
        check_exposure(conf, rasa_bind_interface(argv))
        self.conf = conf
        self.gate = MessageGate(conf, ip_key=conf.rest_token or session_keys(conf)[0])

    def _authorised(self, request: Request) -> bool:
        token = self.conf.rest_token
        if not token:
            return True
        scheme, _, offered = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            offered.strip().encode(), token.encode()
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = _CappedBlueprint(
            f"custom_webhook_{type(self).__name__}",
            __name__,
            max_body_bytes=self.conf.max_body_bytes,
        )

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                log_event("message_refused", channel="rest", outcome="unauthorised")
                return _error(401, "a valid bearer token is required", **{
                    "WWW-Authenticate": 'Bearer realm="spinecare"'})  # fmt: skip
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return _error(400, "send a JSON object with sender and message")
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not SENDER.fullmatch(sender):
                return _error(400, "sender is required: 1-128 letters, digits or _.:@-")
            if not isinstance(text, str):
                return _error(400, "message must be text")
            refusal = self.gate.refusal(text, sender, None, self.name())
            if refusal is not None:
                reason, reply = refusal
                return response.json(
                    [{"recipient_id": sender, "text": reply}],
                    status=429 if reason == "rate_limited" else 200,
                    headers={"Retry-After": "60"} if reason == "rate_limited" else None,
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name())
                )
            except (asyncio.CancelledError, Exception) as error:  # the reply so far, no text
                log_event("message_failed", sender, channel="rest", error_type=type(error).__name__)
            return response.json(collector.messages)

        return webhook
