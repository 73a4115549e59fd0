"""Twilio for SMS and WhatsApp: checking a webhook's signature, sending a message.

Why our own wrapper around the `twilio` library (the version Rasa 3.6 resolves,
below 8.3): Rasa's built-in channel checks no signature and sends with the blocking
`messages.create` inside the event loop. Here the signature is computed with the
library's `RequestValidator` over the public URL Twilio posted to (behind a proxy
the URL the server sees differs) and compared in constant time; messages are sent
with `create_async` on the library's aiohttp client, so a slow Twilio never stalls
other conversations.

`SPINECARE_TWILIO_API_URL` replaces `https://api.twilio.com` in every request, so a
practice can route through its own egress proxy and the tests through a local fake.
The library's own request logging (URLs with the account id) is kept quiet.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator, add_port, remove_port
from twilio.rest import Client

from spinecare import settings

TWILIO_API = "https://api.twilio.com"
SEND_TIMEOUT_SECONDS = 10.0
# Twilio's error for a recipient who texted STOP to this sender (its own opt-out list).
TWILIO_OPTED_OUT = 21610
WHATSAPP_PREFIX = "whatsapp:"

_quiet_logger = logging.getLogger("spinecare.twilio_http")
_quiet_logger.setLevel(logging.WARNING)


class _Params:
    """Webhook parameters as the validator reads them: every value of a repeated name."""

    def __init__(self, params: Mapping[str, Sequence[str]]) -> None:
        self._params = params

    def __iter__(self):
        return iter(self._params)

    def getall(self, name: str) -> list[str]:
        return list(self._params[name])


def webhook_url(public_base_url: str, path: str, query_string: str = "") -> str:
    """The URL Twilio signed: the public address, the path, and the query if there was one."""
    return f"{public_base_url.rstrip('/')}{path}" + (f"?{query_string}" if query_string else "")


def signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """X-Twilio-Signature for a form POST to `url` (exactly as Twilio computes it)."""
    return RequestValidator(auth_token).compute_signature(url, _Params(params))


def signature_valid(
    auth_token: str, url: str, params: Mapping[str, Sequence[str]], header: str | None
) -> bool:
    """Whether `header` is Twilio's signature of this request, compared in constant time.

    Twilio may have signed the URL with or without the default port; both are tried,
    always both, so the time taken does not depend on which one matched.
    """
    if not auth_token or not header:
        return False
    parsed = urlsplit(url)
    candidates = {url, add_port(parsed), remove_port(parsed)}
    given = header.strip().encode("utf-8")
    matched = False
    for candidate in sorted(candidates):
        expected = signature(auth_token, candidate, params).encode("utf-8")
        matched |= hmac.compare_digest(expected, given)
    return matched


class SendFailed(Exception):
    """A send Twilio refused or that did not reach it; the message holds no personal data."""

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status

    @property
    def recipient_opted_out(self) -> bool:
        return self.code == TWILIO_OPTED_OUT


class RebasedHttpClient(AsyncTwilioHttpClient):
    """The library's aiohttp client, sending to `api_url` instead of api.twilio.com."""

    def __init__(self, api_url: str = TWILIO_API, timeout: float = SEND_TIMEOUT_SECONDS):
        super().__init__(timeout=timeout, logger=_quiet_logger)
        self.api_url = api_url.rstrip("/")

    async def request(self, method: str, url: str, *args, **kwargs) -> Response:
        if url.startswith(TWILIO_API):
            url = self.api_url + url[len(TWILIO_API) :]
        return await super().request(method, url, *args, **kwargs)


def _address(channel: str, number: str) -> str:
    bare = number.removeprefix(WHATSAPP_PREFIX)
    return f"{WHATSAPP_PREFIX}{bare}" if channel == "whatsapp" else bare


class TwilioSender:
    """Sends SMS and WhatsApp messages from the practice's numbers without blocking.

    `http_client` defaults to `RebasedHttpClient` (created on first use, inside the
    running event loop); tests pass a fake that records what would have been sent.
    """

    def __init__(self, conf: settings.Settings, http_client=None) -> None:
        self.conf = conf
        self._http_client = http_client
        self._client: Client | None = None

    def sender_for(self, channel: str) -> str:
        number = self.conf.twilio_whatsapp_from if channel == "whatsapp" else self.conf.twilio_from
        return _address(channel, number) if number else ""

    def _twilio(self) -> Client:
        if self._client is None:
            http_client = self._http_client or RebasedHttpClient(self.conf.twilio_api_url)
            self._client = Client(
                self.conf.twilio_account_sid,
                self.conf.twilio_auth_token,
                http_client=http_client,
            )
        return self._client

    async def send(self, channel: str, to: str, body: str) -> str:
        """Send `body` to the E.164 number `to` on `channel` ("sms" or "whatsapp"); its SID."""
        sender = self.sender_for(channel)
        if not sender:
            raise SendFailed(f"no {channel} sender number is configured")
        try:
            message = await self._twilio().messages.create_async(
                to=_address(channel, to), from_=sender, body=body
            )
        except TwilioRestException as error:
            raise SendFailed(
                f"Twilio refused the message (HTTP {error.status}, code {error.code})",
                code=error.code,
                status=error.status,
            ) from None
        except Exception as error:  # connection refused, timeout, bad reply
            raise SendFailed(f"Twilio could not be reached ({type(error).__name__})") from None
        return message.sid

    async def close(self) -> None:
        client = self._client.http_client if self._client else self._http_client
        close = getattr(client, "close", None)
        if close is not None:
            await close()
