"""Offline stand-ins for Twilio and Meta, and webhook requests signed exactly as they sign them.

- `FakeTwilioHttpClient`: the `http_client` the twilio library accepts; records every
  message the channel would have sent, in process.
- `FakeProviders`: a real HTTP server on a free loopback port playing Twilio's REST API
  (`POST /2010-04-01/Accounts/<sid>/Messages.json`) and Meta's Send API
  (`POST /<version>/me/messages`), for a Rasa server in another process
  (SPINECARE_TWILIO_API_URL, SPINECARE_MESSENGER_API_URL point at it).
- `twilio_request` / `messenger_request`: form or JSON bodies with X-Twilio-Signature /
  X-Hub-Signature-256 computed independently of the code under test (plain hmac).
- `ChannelServer`: the channels' blueprints in a real Sanic server in a thread, with a
  scripted stand-in for the assistant, for tests of the channel itself.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from twilio.http import AsyncHttpClient
from twilio.http.response import Response

from spinecare.devserver import free_port

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SMS_FROM = "+13125550100"
WHATSAPP_FROM = "whatsapp:+13125550111"
APP_SECRET = "test-app-secret-abcdef0123456789"
VERIFY_TOKEN = "test-verify-token"
PAGE_TOKEN = "test-page-token"
PATIENT = "+13125550199"
PSID = "6543210987654321"


# --- signing, done here from the providers' documentation ---------------------------


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """HMAC-SHA1 of the URL followed by each parameter name and value, sorted by name."""
    data = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def new_message_sid() -> str:
    return "SM" + secrets.token_hex(16)


def twilio_params(
    text: str | None = "hi",
    sender: str = PATIENT,
    *,
    channel: str = "sms",
    sid: str | None = None,
    media: Sequence[str] = (),
    **extra: str,
) -> dict[str, str]:
    """An inbound message as Twilio posts it."""
    prefix = "whatsapp:" if channel == "whatsapp" else ""
    to = WHATSAPP_FROM if channel == "whatsapp" else SMS_FROM
    params = {
        "ToCountry": "US",
        "SmsMessageSid": "",
        "NumMedia": str(len(media)),
        "SmsSid": "",
        "SmsStatus": "received",
        "To": to,
        "MessagingServiceSid": "",
        "NumSegments": "1",
        "From": f"{prefix}{sender}",
        "ApiVersion": "2010-04-01",
        "AccountSid": ACCOUNT_SID,
    }
    message_sid = sid or new_message_sid()
    params.update(MessageSid=message_sid, SmsMessageSid=message_sid, SmsSid=message_sid)
    if text is not None:
        params["Body"] = text
    for index, url in enumerate(media):
        params[f"MediaUrl{index}"] = url
        params[f"MediaContentType{index}"] = "image/jpeg"
    params.update(extra)
    return params


def twilio_request(
    public_url: str, params: Mapping[str, str], auth_token: str = AUTH_TOKEN
) -> tuple[bytes, dict[str, str]]:
    body = urlencode(params).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(auth_token, public_url, params),
        "User-Agent": "TwilioProxy/1.1",
    }
    return body, headers


def messenger_payload(*events: Mapping[str, Any], page_id: str = "1122334455") -> dict:
    return {
        "object": "page",
        "entry": [{"id": page_id, "time": int(time.time() * 1000), "messaging": list(events)}],
    }


def messenger_text(text: str, psid: str = PSID, *, mid: str | None = None, payload=None) -> dict:
    message: dict[str, Any] = {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}
    if payload is not None:
        message["quick_reply"] = {"payload": payload}
    return {
        "sender": {"id": psid},
        "recipient": {"id": "1122334455"},
        "timestamp": int(time.time() * 1000),
        "message": message,
    }


def messenger_request(payload: Any, app_secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


# --- what the providers received ----------------------------------------------------


@dataclass
class Outbox:
    """Messages sent to the fake providers, in order; waits for them to arrive."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    def add(self, message: dict[str, Any]) -> None:
        with self.condition:
            self.messages.append(message)
            self.condition.notify_all()

    def to(self, recipient: str) -> list[dict[str, Any]]:
        with self.condition:
            return [m for m in self.messages if m["to"] == recipient]

    def wait_for(self, recipient: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while len([m for m in self.messages if m["to"] == recipient]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [m.get("body") for m in self.messages if m["to"] == recipient]
                    raise AssertionError(f"expected {count} message(s) to {recipient}, got {got}")
                self.condition.wait(left)
            return [m for m in self.messages if m["to"] == recipient]

    def clear(self) -> None:
        with self.condition:
            self.messages.clear()


class FakeTwilioHttpClient(AsyncHttpClient):
    """The twilio library's HTTP client, answering like Twilio without any network."""

    def __init__(self, outbox: Outbox | None = None, refuse: Mapping[str, int] | None = None):
        super().__init__(logger=None, is_async=True)
        self.outbox = outbox or Outbox()
        self.refuse = dict(refuse or {})  # recipient -> Twilio error code
        self.requests: list[dict[str, Any]] = []

    async def request(self, method, url, params=None, data=None, headers=None, auth=None,
                      timeout=None, allow_redirects=False) -> Response:  # fmt: skip
        self.requests.append({"method": method, "url": url, "data": dict(data or {}), "auth": auth})
        to = str((data or {}).get("To"))
        if to in self.refuse:
            body = {"code": self.refuse[to], "message": "refused", "status": 400}
            return Response(400, json.dumps(body))
        sid = new_message_sid()
        self.outbox.add({"to": to, "from": data.get("From"), "body": data.get("Body"), "sid": sid})
        return Response(201, json.dumps({"sid": sid, "status": "queued", "to": to}))


class FakeProviders:
    """Twilio's Messages API and Meta's Send API on a loopback port (a real HTTP server)."""

    def __init__(self) -> None:
        self.outbox = Outbox()
        self.refuse: dict[str, int] = {}
        self.requests: list[dict[str, Any]] = []
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        providers = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path)
                providers.requests.append(
                    {
                        "path": path.path,
                        "query": parse_qs(path.query),
                        "headers": dict(self.headers),
                    }
                )
                if path.path.endswith("/Messages.json"):
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    to = form.get("To", "")
                    if to in providers.refuse:
                        body = {"code": providers.refuse[to], "message": "refused", "status": 400}
                        return self._answer(400, body)
                    sid = new_message_sid()
                    providers.outbox.add(
                        {"to": to, "from": form.get("From"), "body": form.get("Body"), "sid": sid}
                    )
                    return self._answer(201, {"sid": sid, "status": "queued", "to": to})
                if path.path.endswith("/me/messages"):
                    data = json.loads(raw or b"{}")
                    message = data.get("message") or {}
                    providers.outbox.add(
                        {
                            "to": "messenger:" + str(data.get("recipient", {}).get("id")),
                            "body": message.get("text"),
                            "quick_replies": message.get("quick_replies") or [],
                            "messaging_type": data.get("messaging_type"),
                            "access_token": parse_qs(path.query).get("access_token", [""])[0],
                        }
                    )
                    return self._answer(200, {"recipient_id": "x", "message_id": "m_1"})
                return self._answer(404, {"error": "unknown path"})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProviders:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def env(self) -> dict[str, str]:
        """The settings that point the channels at this fake and give them credentials."""
        return {
            "SPINECARE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "SPINECARE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "SPINECARE_TWILIO_FROM": SMS_FROM,
            "SPINECARE_TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
            "SPINECARE_TWILIO_API_URL": self.url,
            "SPINECARE_MESSENGER_APP_SECRET": APP_SECRET,
            "SPINECARE_MESSENGER_VERIFY_TOKEN": VERIFY_TOKEN,
            "SPINECARE_MESSENGER_PAGE_TOKEN": PAGE_TOKEN,
            "SPINECARE_MESSENGER_API_URL": f"{self.url}/v21.0",
        }


# --- the channels in a real server, with a scripted assistant -----------------------


@dataclass
class ScriptedAssistant:
    """Stands in for Rasa: records what it was given, answers from `reply(text)`."""

    reply: Callable[[str], list[dict[str, Any]]] = lambda text: [{"text": f"You said: {text}"}]
    delay: float = 0.0
    received: list[UserMessage] = field(default_factory=list)
    # Which texts the stand-in NLU reads as an emergency (Rasa: the red-flag rules).
    emergency: Callable[[str], bool] = lambda text: False
    parsed: list[str] = field(default_factory=list)

    async def parse_message(self, text: str) -> dict[str, Any]:
        """Like `Agent.parse_message`: NLU only, the conversation is not touched."""
        self.parsed.append(text)
        intent = "report_red_flag" if self.emergency(text) else "inform"
        return {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        for reply in self.reply(message.text or ""):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    def texts(self) -> list[str]:
        return [message.text for message in self.received]


class ChannelServer:
    """Input channels' blueprints served by Sanic on a free port, in a background thread."""

    def __init__(self, channels: Sequence[Any], assistant: ScriptedAssistant) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Test mode lets Sanic 21.12 start a second app in one process (it keeps the
        # original methods it rewrites at start-up instead of rewriting them twice).
        Sanic.test_mode = True
        self.app = Sanic(f"channels_{uuid.uuid4().hex}")
        self.app.config.ACCESS_LOG = False
        self.app.ctx.agent = assistant  # as on the Rasa server: request.app.ctx.agent
        for channel in channels:
            self.app.blueprint(
                channel.blueprint(assistant), url_prefix=f"/webhooks/{channel.name()}"
            )
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as error:  # reported to the test through `error`
            self.error = error
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True
        )
        await server.startup()
        await server.after_start()
        self._ready.set()
        await self._stop.wait()
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

    def __enter__(self) -> ChannelServer:
        self._thread.start()
        self._ready.wait(30)
        if self.error:
            raise self.error
        return self

    def __exit__(self, *exc) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


class SmsConversation:
    """One phone texting a running Rasa server's SMS webhook; replies read from the fake Twilio.

    `say` posts a message signed for `public_url` and returns the turn's reply: every
    message sent to the phone until none has followed for `quiet` seconds.
    """

    def __init__(
        self,
        server_url: str,
        public_url: str,
        providers: FakeProviders,
        http,
        number: str = PATIENT,
        channel: str = "sms",
        quiet: float = 0.8,
    ) -> None:
        self.server_url = server_url
        self.public_url = public_url
        self.providers = providers
        self.http = http
        self.number = number
        self.channel = channel
        self.quiet = quiet
        self.recipient = f"whatsapp:{number}" if channel == "whatsapp" else number

    def post(self, text: str | None, **kwargs):
        params = twilio_params(text, self.number, channel=self.channel, **kwargs)
        body, headers = twilio_request(self.public_url + "/webhooks/sms/webhook", params)
        return self.http.post(
            self.server_url + "/webhooks/sms/webhook", content=body, headers=headers
        )

    def say(self, text: str | None, *, expect_reply: bool = True, timeout: float = 60) -> list[str]:
        before = len(self.providers.outbox.to(self.recipient))
        response = self.post(text)
        assert response.status_code == 200, response.text
        if not expect_reply:
            time.sleep(self.quiet * 2)
            return [m["body"] for m in self.providers.outbox.to(self.recipient)[before:]]
        self.providers.outbox.wait_for(self.recipient, before + 1, timeout)
        count = -1
        while count != len(self.providers.outbox.to(self.recipient)):
            count = len(self.providers.outbox.to(self.recipient))
            time.sleep(self.quiet)
        return [m["body"] for m in self.providers.outbox.to(self.recipient)[before:]]


def numbered_choices_in(text: str) -> dict[int, str]:
    """The numbered choices an SMS offers: "Reply 1 for Yes, 2 for No." or one per line."""
    import re

    choices = {}
    inline = re.search(r"Reply (1 for .+?)\.?$", text, re.MULTILINE)
    if inline:
        separator = "; " if "; 2 for " in inline.group(1) else ", "
        for part in re.split(rf"{separator}(?=\d+ for )", inline.group(1)):
            number, _, title = part.partition(" for ")
            choices[int(number)] = title
    listed = text.split("Reply with a number:\n", 1)
    if len(listed) == 2:
        for line in listed[1].splitlines():
            match = re.fullmatch(r"(\d+) (.+)", line)
            if not match:
                break
            choices[int(match.group(1))] = match.group(2)
    return choices
