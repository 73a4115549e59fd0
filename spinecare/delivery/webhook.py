"""Signed JSON posts of new requests to the practice's own system (its CRM).

Why the body carries the request's fields while the email does not: the webhook
goes to a system the practice runs to act on the request, over HTTPS, and that
system needs the details. It carries what a consultant needs to call back and
review (see BODY_FIELDS and docs/webhook.md), not the internal conversation id,
submission key or the full consent wording (its version identifies it).

Why the signature covers a timestamp: an HMAC over `"{timestamp}.{raw body}"`
lets the receiver check that the post comes from this assistant, was not
altered, and is recent (a captured post cannot be replayed later). The
Idempotency-Key header lets the receiver drop the repeat that follows a crash or
a timeout after it had already accepted the post.

Plain http is accepted only for loopback addresses: anywhere else the personal
data in the body would cross the network unencrypted.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import time
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from spinecare import requests, settings
from spinecare.delivery.common import DeliveryFailed, Job
from spinecare.storage.models import PatientRequest

IDEMPOTENCY_HEADER = "Idempotency-Key"
TIMESTAMP_HEADER = "X-SpineCare-Timestamp"
SIGNATURE_HEADER = "X-SpineCare-Signature"
SCHEMA = "spinecare.request.v1"
MIN_SECRET_CHARS = 16

# The request's own fields in the body's "request" object: every field the declaration
# (spinecare/requests.py) sends by webhook, except those at the top of the body and
# the consent record, which has an object of its own. Fields a request type does not
# collect are null, so every body has the same shape (`encode` sorts the keys).
ENVELOPE_FIELDS = ("reference", "request_type", "created_at")
CONSENT_FIELDS = ("consent", "consent_version", "consented_at", "channel")
BODY_FIELDS = tuple(
    name
    for name in requests.output_fields(requests.WEBHOOK)
    if name not in ENVELOPE_FIELDS + CONSENT_FIELDS
)


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def build_body(job: Job, request: PatientRequest) -> dict[str, Any]:
    """The JSON document posted for `job` (documented in docs/webhook.md)."""
    fields = {name: _json_value(getattr(request, name)) for name in BODY_FIELDS}
    fields["consent"] = {
        "given": request.consent,
        "version": request.consent_version,
        "consented_at": _json_value(request.consented_at),
        "channel": request.channel,
    }
    return {
        "schema": SCHEMA,
        "event": job.event,
        "reference": request.reference,
        "request_type": request.request_type,
        "created_at": _json_value(request.created_at),
        "request": fields,
    }


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-SpineCare-Signature value: "sha256=" + hex HMAC-SHA256 of "{timestamp}.{body}"."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str,
    timestamp: str | int | None,
    body: bytes | str,
    header: str | None,
    tolerance_seconds: int = 300,
    *,
    now: float | None = None,
) -> bool:
    """Whether a received post is authentic and recent; for receivers.

    `timestamp` and `header` are the X-SpineCare-Timestamp and X-SpineCare-Signature
    header values, `body` the raw request body exactly as received (not re-encoded
    JSON). False for a missing, malformed (also non-ASCII), stale (more than
    `tolerance_seconds` away from now, either way) or wrong signature.
    """
    if not secret or timestamp is None or not header or not header.startswith("sha256="):
        return False
    stamp = str(timestamp).strip()
    if not stamp.isascii():
        return False
    try:
        moment = int(stamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - moment) > tolerance_seconds:
        return False
    raw = body.encode() if isinstance(body, str) else bytes(body)
    # bytes, not str: compare_digest raises TypeError for a non-ASCII str header
    expected = sign(secret, moment, raw).encode()
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "surrogatepass"))


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookSender:
    """Posts one signed JSON document per job to SPINECARE_WEBHOOK_URL."""

    kind = "webhook"

    def __init__(self, config: settings.Settings) -> None:
        self.config = config

    def problem(self) -> str | None:
        url, secret = self.config.webhook_url, self.config.webhook_secret
        if not url:
            return "SPINECARE_WEBHOOK_URL is not set"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "SPINECARE_WEBHOOK_URL is not an http(s) URL"
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            return "SPINECARE_WEBHOOK_URL must use https (plain http only to loopback)"
        if len(secret) < MIN_SECRET_CHARS:
            return f"SPINECARE_WEBHOOK_SECRET must be at least {MIN_SECRET_CHARS} characters"
        return None

    def send(self, job: Job, request: PatientRequest) -> None:
        body = encode(build_body(job, request))
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "spinecare-dispatcher",
            IDEMPOTENCY_HEADER: job.idempotency_key,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self.config.webhook_secret, timestamp, body),
        }
        try:
            with httpx.Client(
                timeout=self.config.webhook_timeout_seconds, follow_redirects=False
            ) as client:
                response = client.post(self.config.webhook_url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise DeliveryFailed("timed out", error_type=type(exc).__name__) from None
        except httpx.ConnectError as exc:
            raise DeliveryFailed("could not connect", error_type=type(exc).__name__) from None
        except httpx.HTTPError as exc:
            raise DeliveryFailed("request failed", error_type=type(exc).__name__) from None
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"HTTP {response.status_code}", error_type="HTTPStatusError")
