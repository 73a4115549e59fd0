"""Facebook Messenger: `GET|POST /webhooks/messenger/webhook`.

Registered in credentials.yml as `channels.messenger.MessengerInput` (not
`facebook`, Rasa's built-in channel, which checks only SHA-1 with `==`, answers 200
to a forged request and keeps only the first event of a batch). Credentials come
from `spinecare.settings` (SPINECARE_MESSENGER_*); without all three the webhook
answers 404.

- GET: the subscription handshake. `hub.mode=subscribe` and a `hub.verify_token`
  equal (constant-time) to SPINECARE_MESSENGER_VERIFY_TOKEN echo `hub.challenge`;
  anything else is 403.
- POST: `X-Hub-Signature-256` must be `sha256=` + HMAC-SHA256 of the raw body keyed
  with the app secret (constant-time; 403 and nothing processed otherwise). Every
  messaging event of every entry is taken, answered with 200 at once and processed
  in the background, each message once (Meta retries too).

Replies are plain text (no markdown), one Messenger message per reply, with the
turn's buttons as quick replies (at most 13, titles of at most 20 characters).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.text_common import Inbound, Relay, agent_parser, read_limited_body
from spinecare import settings
from spinecare.events import log_event
from spinecare.messaging import messenger_api
from spinecare.messaging.render import render_messenger_turn, split_message
from spinecare.storage import messaging

# Meta batches events; a batch of plain text events stays far below this.
MAX_BODY_BYTES = 1024 * 1024
PSID = re.compile(r"\d{1,40}")
CHALLENGE = re.compile(r"[A-Za-z0-9_.\-]{1,200}")


def events_of(payload: Any) -> Iterator[Inbound]:
    """Every person's message or postback in a verified webhook body, in order."""
    if not isinstance(payload, Mapping) or payload.get("object") != "page":
        return
    for entry in payload.get("entry") or []:
        if not isinstance(entry, Mapping):
            continue
        for event in entry.get("messaging") or []:
            inbound = _inbound(event)
            if inbound is not None:
                yield inbound


def _inbound(event: Any) -> Inbound | None:
    if not isinstance(event, Mapping):
        return None
    sender = str((event.get("sender") or {}).get("id") or "")
    if not PSID.fullmatch(sender):
        return None
    message = event.get("message")
    if isinstance(message, Mapping):
        if message.get("is_echo"):
            return None  # our own reply, echoed back
        quick = message.get("quick_reply")
        attachments = message.get("attachments")
        return Inbound(
            provider="messenger",
            message_id=str(message.get("mid") or f"{sender}:{event.get('timestamp')}")[:128],
            channel="messenger",
            sender=sender,
            text=str(message.get("text") or ""),
            media_count=len(attachments) if isinstance(attachments, list) else 0,
            payload=str(quick["payload"])
            if isinstance(quick, Mapping) and quick.get("payload")
            else None,
        )
    postback = event.get("postback")
    if isinstance(postback, Mapping):
        return Inbound(
            provider="messenger",
            message_id=str(postback.get("mid") or f"{sender}:{event.get('timestamp')}")[:128],
            channel="messenger",
            sender=sender,
            text=str(postback.get("title") or ""),
            payload=str(postback.get("payload") or "") or None,
        )
    return None  # deliveries, reads, reactions: nothing to answer


class MessengerRelay(Relay):
    """Sends the assistant's turns through the Send API."""

    provider = "messenger"

    def __init__(self, conf: settings.Settings) -> None:
        super().__init__(conf)
        self.sender = messenger_api.MessengerSender(conf)

    async def deliver_turn(self, contact, messages) -> None:
        pieces, choices = render_messenger_turn(messages)
        await self.store.run(
            messaging.set_pending_choices,
            contact.conversation_id,
            [choice.as_dict() for choice in choices],
        )
        purpose = "emergency" if any(m.get("safety") for m in messages) else "conversation"
        for piece in pieces:
            if not await self.send_text(
                contact, piece.text, purpose, quick_replies=piece.quick_replies
            ):
                break

    async def send_text(self, contact, text: str, purpose: str, **extra) -> bool:
        pieces = split_message(text, lambda c: len(c) <= 2000) if text else []
        sent = False
        for number, piece in enumerate(pieces, 1):
            replies = extra.get("quick_replies", ()) if number == len(pieces) else ()
            sent = await super().send_text(contact, piece, purpose, quick_replies=replies)
            if not sent:
                break
        return sent

    async def _transport(self, contact, text: str, purpose: str, **extra) -> bool:
        try:
            await self.sender.send(contact.address, text, extra.get("quick_replies") or ())
        except messenger_api.SendFailed as error:
            log_event(
                "messaging_send_failed",
                contact.conversation_id,
                channel="messenger",
                outcome="failed",
                status=error.status,
                error_type=str(error.code) if error.code else "SendFailed",
            )
            return False
        log_event("messaging_sent", contact.conversation_id, channel="messenger", kind=purpose)
        return True


class MessengerOutput(OutputChannel):
    """Sends to a Messenger conversation outside a webhook turn, within the 24-hour window."""

    def __init__(self, relay: MessengerRelay) -> None:
        self.relay = relay

    @classmethod
    def name(cls) -> str:
        return "messenger"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        contact = await self.relay.store.run(messaging.contact_by_conversation, recipient_id)
        if contact is None:
            log_event("messaging_unknown_conversation", recipient_id, outcome="dropped")
            return
        if not contact.within_session_window():
            log_event("messaging_suppressed", recipient_id, outcome="outside_24h_window")
            return
        await self.relay.deliver_turn(contact, [message])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class MessengerInput(InputChannel):
    """The Messenger webhook (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "messenger"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Nothing is read from credentials.yml: every secret is an environment variable.
        return cls(settings.load())

    def __init__(self, conf: settings.Settings) -> None:
        self.conf = conf
        self.relay = MessengerRelay(conf) if conf.messenger_configured else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("spinecare_messenger", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if self.relay is None:
                return response.text("not configured", status=404)
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def handshake(request: Request) -> HTTPResponse:
            if self.relay is None:
                return response.text("not configured", status=404)
            challenge = request.args.get("hub.challenge") or ""
            if (
                request.args.get("hub.mode") == "subscribe"
                and messenger_api.verify_token_valid(
                    self.conf.messenger_verify_token, request.args.get("hub.verify_token")
                )
                and CHALLENGE.fullmatch(challenge)
            ):
                log_event("messenger_subscribed", None, outcome="verified")
                return response.text(challenge)
            log_event("messenger_webhook_rejected", None, outcome="bad_verify_token", status=403)
            return response.text("forbidden", status=403)

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            if self.relay is None:
                return response.text("not configured", status=404)
            body = await read_limited_body(request, MAX_BODY_BYTES)
            if body is None:
                log_event("messenger_webhook_rejected", None, outcome="too_large", status=413)
                return response.text("payload too large", status=413)
            if not messenger_api.signature_valid(
                self.conf.messenger_app_secret, body, request.headers.get("X-Hub-Signature-256")
            ):
                log_event("messenger_webhook_rejected", None, outcome="bad_signature", status=403)
                return response.text("forbidden", status=403)
            try:
                payload = json.loads(body)
            except (UnicodeDecodeError, ValueError):
                log_event("messenger_webhook_ignored", None, outcome="not_json")
                return response.text("EVENT_RECEIVED")
            count = 0
            parse = agent_parser(request)
            for inbound in events_of(payload):
                self.relay.spawn(inbound, on_new_message, parse)
                count += 1
            log_event("messenger_webhook_accepted", None, count=count)
            return response.text("EVENT_RECEIVED")

        @bp.listener("after_server_start")
        async def prepare(_app, _loop) -> None:
            if self.relay is not None:
                await self.relay.store.prepare()

        @bp.listener("before_server_stop")
        async def finish(_app, _loop) -> None:
            if self.relay is not None:
                await self.relay.drain()
                await self.relay.sender.close()

        return bp

    def get_output_channel(self) -> OutputChannel | None:
        return MessengerOutput(self.relay) if self.relay is not None else None
