"""Cookie signing, CSRF token checks and the HTTP headers every console response carries.

Why hand-written HMAC instead of a signing library: the console needs one small
thing (a value and a keyed SHA-256 over it, with a purpose so a login-form cookie
can never pass as a sign-in cookie), and the project avoids adding packages for
that. Comparisons are constant-time.

The headers assume the pages have no script at all: the Content-Security-Policy
allows only the console's own stylesheet, so even markup that slipped past
escaping could not run. Every page may show patient data, so none is cached.
The referrer policy is same-origin rather than no-referrer because with
no-referrer browsers send `Origin: null` on form posts, which the console's
Origin check must refuse.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_TOKEN = re.compile(r"[A-Za-z0-9_\-]{16,128}")


class Signer:
    """Signs short ASCII values as `value.signature`, bound to a purpose."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"spinecare-console\0" + secret.encode()).digest()

    def _signature(self, purpose: str, value: str) -> str:
        mac = hmac.new(self._key, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def sign(self, purpose: str, value: str) -> str:
        if not _TOKEN.fullmatch(value):
            raise ValueError("only URL-safe tokens can be signed")
        return f"{value}.{self._signature(purpose, value)}"

    def unsign(self, purpose: str, signed: str | None) -> str | None:
        """The value if `signed` carries a valid signature for `purpose`, else None."""
        value, _, signature = (signed or "").partition(".")
        if not _TOKEN.fullmatch(value) or not signature:
            return None
        expected = self._signature(purpose, value)
        return value if hmac.compare_digest(expected, signature) else None


def same_token(sent: str | None, expected: str | None) -> bool:
    """Whether a submitted CSRF token matches, in constant time; missing never matches."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def security_headers(*, https: bool, cacheable: bool = False) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CSP,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if cacheable:
        headers["Cache-Control"] = "no-cache"
    else:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers
