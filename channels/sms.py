"""SMS and WhatsApp through Twilio: `POST /webhooks/sms/webhook`.

Registered in credentials.yml as `channels.sms.SmsInput` (the name is not `twilio`,
so Rasa's unsafe built-in channel is never what answers). Credentials come from
`spinecare.settings` (SPINECARE_TWILIO_*, SPINECARE_PUBLIC_BASE_URL); without them
the webhook answers 404, so an unconfigured channel is never open.

A webhook request is accepted only when its X-Twilio-Signature is Twilio's HMAC of
the public URL and the posted parameters, keyed with the auth token (403 otherwise,
nothing processed). It is answered at once with empty TwiML, and the message is
processed in the background (channels/text_common.py), so a slow turn never makes
Twilio time out and retry.

SMS and WhatsApp from the same phone are two conversations: replies must go back
on the channel the person used (a WhatsApp reply is only allowed within 24 hours of
their last WhatsApp message, from a different sender number), and mixing the two in
one intake would ask a question in one app and take the answer from another. The
opt-out registry is keyed by the phone number, so STOP on either stops both.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.text_common import Inbound, Relay, agent_parser, read_limited_body
from spinecare import settings
from spinecare.events import log_event
from spinecare.messaging import twilio_api
from spinecare.messaging.render import render_sms_turn, split_sms
from spinecare.storage import messaging

# Twilio's form posts are a few kilobytes; anything near this is not from Twilio.
MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
E164 = re.compile(r"\+[1-9]\d{7,14}")
MESSAGE_SID = re.compile(r"(?:SM|MM)[0-9a-fA-F]{32}")


def parse_form(body: bytes) -> dict[str, list[str]] | None:
    """The posted form, every value of each name, or None when it is not a form."""
    try:
        return parse_qs(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        return None


def inbound_from_form(form: Mapping[str, Sequence[str]]) -> Inbound | None:
    """The message in a verified Twilio post, or None for anything that is not one."""

    def one(name: str) -> str:
        values = form.get(name) or [""]
        return values[0]

    sid = one("MessageSid") or one("SmsMessageSid")
    sender = one("From")
    channel = "whatsapp" if sender.startswith(twilio_api.WHATSAPP_PREFIX) else "sms"
    number = sender.removeprefix(twilio_api.WHATSAPP_PREFIX)
    if not MESSAGE_SID.fullmatch(sid) or not E164.fullmatch(number):
        return None
    try:
        media = max(0, min(int(one("NumMedia") or "0"), 10))
    except ValueError:
        media = 0
    return Inbound(
        provider="twilio",
        message_id=sid,
        channel=channel,
        sender=number,
        text=one("Body"),
        media_count=media,
        opt_out_signal=one("OptOutType").upper() == "STOP",
    )


class TwilioRelay(Relay):
    """Sends the assistant's turns as SMS or WhatsApp messages through Twilio."""

    provider = "twilio"

    def __init__(self, conf: settings.Settings, http_client=None) -> None:
        super().__init__(conf)
        self.sender = twilio_api.TwilioSender(conf, http_client)

    async def deliver_turn(self, contact, messages) -> None:
        turn = render_sms_turn(messages)
        await self.store.run(
            messaging.set_pending_choices,
            contact.conversation_id,
            [choice.as_dict() for choice in turn.choices],
        )
        purpose = "emergency" if any(m.get("safety") for m in messages) else "conversation"
        for body in turn.bodies:
            if not await self.send_text(contact, body, purpose):
                break

    async def send_text(self, contact, text: str, purpose: str, **extra) -> bool:
        sent = False
        for body in split_sms(text):
            sent = await super().send_text(contact, body, purpose)
            if not sent:
                break
        return sent

    async def _transport(self, contact, text: str, purpose: str, **extra) -> bool:
        try:
            await self.sender.send(contact.channel, contact.address, text)
        except twilio_api.SendFailed as error:
            # Twilio keeps its own STOP list (and confirms a STOP itself): nothing to add then.
            outcome = "provider_opted_out" if error.recipient_opted_out else "failed"
            log_event(
                "messaging_send_failed",
                contact.conversation_id,
                channel=contact.channel,
                outcome=outcome,
                status=error.status,
                error_type=str(error.code) if error.code else "SendFailed",
            )
            return False
        log_event("messaging_sent", contact.conversation_id, channel=contact.channel, kind=purpose)
        return True


class SmsOutput(OutputChannel):
    """Sends to a conversation outside a webhook turn (Rasa's API, reminders).

    The conversation id is looked up in the contacts; the opt-out registry is checked
    before every message, and WhatsApp gets nothing outside its 24-hour window.
    """

    def __init__(self, relay: TwilioRelay) -> None:
        self.relay = relay

    @classmethod
    def name(cls) -> str:
        return "sms"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        contact = await self.relay.store.run(messaging.contact_by_conversation, recipient_id)
        if contact is None:
            log_event("messaging_unknown_conversation", recipient_id, outcome="dropped")
            return
        if contact.channel == "whatsapp" and not contact.within_session_window():
            log_event("messaging_suppressed", recipient_id, outcome="outside_24h_window")
            return
        await self.relay.deliver_turn(contact, [message])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class SmsInput(InputChannel):
    """The Twilio webhook for SMS and WhatsApp (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Nothing is read from credentials.yml: every secret is an environment variable.
        return cls(settings.load())

    def __init__(self, conf: settings.Settings, http_client=None) -> None:
        self.conf = conf
        self.relay = TwilioRelay(conf, http_client) if conf.sms_configured else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("spinecare_sms", __name__)
        path = f"/webhooks/{self.name()}/webhook"

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if self.relay is None:
                return response.text("not configured", status=404)
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            if self.relay is None:
                return response.text("not configured", status=404)
            body = await read_limited_body(request, MAX_BODY_BYTES)
            if body is None:
                log_event("sms_webhook_rejected", None, outcome="too_large", status=413)
                return response.text("payload too large", status=413)
            form = parse_form(body)
            url = twilio_api.webhook_url(self.conf.public_base_url, path, request.query_string)
            signed = form is not None and twilio_api.signature_valid(
                self.conf.twilio_auth_token, url, form, request.headers.get("X-Twilio-Signature")
            )
            if not signed or (form.get("AccountSid") or [""])[0] != self.conf.twilio_account_sid:
                log_event("sms_webhook_rejected", None, outcome="bad_signature", status=403)
                return response.text("forbidden", status=403)
            inbound = inbound_from_form(form)
            if inbound is None:
                log_event("sms_webhook_ignored", None, outcome="not_a_message")
            elif not self.relay.sender.sender_for(inbound.channel):
                log_event("sms_webhook_ignored", None, channel=inbound.channel, outcome="no_sender")
            else:
                self.relay.spawn(inbound, on_new_message, agent_parser(request))
            return response.text(EMPTY_TWIML, content_type="text/xml")

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
        return SmsOutput(self.relay) if self.relay is not None else None
