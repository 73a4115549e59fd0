"""Facebook Messenger: the webhook's signature and handshake, and the Send API.

Why not Rasa's `facebook` channel: it checks only the SHA-1 `X-Hub-Signature`,
takes the hash algorithm from the header itself, compares with `==`, answers 200
when the check fails and keeps only the first event of a batch. Here the
`X-Hub-Signature-256` header must be exactly `sha256=<HMAC-SHA256 of the raw body,
keyed with the app secret>`, compared in constant time.

Messages go out through the Graph API's Send API with aiohttp, so sending never
blocks the event loop; `SPINECARE_MESSENGER_API_URL` points it at Meta, a
practice's egress proxy, or the tests' local fake.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import aiohttp

from spinecare import settings

SIGNATURE_PREFIX = "sha256="
SEND_TIMEOUT_SECONDS = 10.0


def signature(app_secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 header Meta sends with `body`."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is `sha256=` + the HMAC-SHA256 of `body` (constant-time)."""
    if not app_secret or not header:
        return False
    return hmac.compare_digest(signature(app_secret, body).encode(), header.strip().encode())


def verify_token_valid(expected: str, given: str | None) -> bool:
    """The subscription handshake's `hub.verify_token`, compared in constant time."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


class SendFailed(Exception):
    """A send Meta refused or that did not reach it; the message holds no personal data."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class MessengerSender:
    """Sends messages to page-scoped ids through the Send API, asynchronously."""

    def __init__(self, conf: settings.Settings) -> None:
        self.conf = conf
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
            )
        return self._session

    async def send(
        self, psid: str, text: str, quick_replies: Sequence[dict[str, str]] = ()
    ) -> str | None:
        """Send `text` (with quick replies) as a reply to `psid`; Meta's message id."""
        message: dict = {"text": text}
        if quick_replies:
            message["quick_replies"] = [dict(reply) for reply in quick_replies]
        body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message}
        url = f"{self.conf.messenger_api_url}/me/messages"
        try:
            async with self._http().post(
                url, json=body, params={"access_token": self.conf.messenger_page_token}
            ) as response:
                payload = await response.json(content_type=None)
                if response.status >= 300:
                    code = (payload or {}).get("error", {}).get("code")
                    raise SendFailed(
                        f"Meta refused the message (HTTP {response.status}, code {code})",
                        status=response.status,
                        code=code,
                    )
                return (payload or {}).get("message_id")
        except SendFailed:
            raise
        except Exception as error:  # connection refused, timeout, not JSON
            raise SendFailed(f"Meta could not be reached ({type(error).__name__})") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
