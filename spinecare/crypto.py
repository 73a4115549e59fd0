"""Encryption at rest for patient data, and keyed hashes for exact lookups (issue 12).

Why Fernet (the `cryptography` library): authenticated encryption (AES-128-CBC with
HMAC-SHA256) with a timestamped, versioned token and `MultiFernet` for rotation, so
an operator never handles IVs, modes or tags. Keys come from SPINECARE_DATA_KEYS,
newest first: the newest encrypts, every one decrypts, and `spinecare privacy
rotate-key` re-encrypts what an older key wrote so that key can then be dropped.

Why a separate lookup key: an encrypted value cannot be searched, so the values
that must be found exactly (phone, email) also get an HMAC-SHA256 under
SPINECARE_LOOKUP_KEY. It is a different key so that rotating the data keys does not
require recomputing every hash, and a leaked lookup key alone decrypts nothing.

Without keys (a developer's machine), keys are generated once into
`var/dev-data-keys.json` (mode 0600) and a warning is logged once per process. With
SPINECARE_ENV=production a missing key is an error: nothing starts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from spinecare import settings

logger = logging.getLogger("spinecare.crypto")

DEV_KEYS_FILE = settings.PROJECT_ROOT / "var" / "dev-data-keys.json"
# Every Fernet token starts with its version byte 0x80, base64url-encoded as "gAAAAA".
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (a format marker, not a secret)

_warned = False
_lock = threading.Lock()


class KeyProblem(RuntimeError):
    """A data or lookup key is missing where it must be configured, or malformed."""


def _check_data_key(key: str) -> str:
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        raise KeyProblem(
            "each SPINECARE_DATA_KEYS entry must be a Fernet key: generate one with python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from None
    return key


def _dev_keys(path: Path) -> dict[str, str]:
    """The checkout's development keys, created once (mode 0600)."""
    global _warned
    with _lock:
        try:
            stored = json.loads(path.read_text())
        except FileNotFoundError:
            stored = {}
        if not (isinstance(stored.get("data"), str) and isinstance(stored.get("lookup"), str)):
            path.parent.mkdir(parents=True, exist_ok=True)
            stored = {
                "data": stored.get("data") or Fernet.generate_key().decode(),
                "lookup": stored.get("lookup") or secrets.token_urlsafe(48),
            }
            temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(stored, handle)
            os.replace(temp, path)
        if not _warned:
            _warned = True
            logger.warning(
                "spinecare: patient data is encrypted with development keys from %s; set "
                "SPINECARE_DATA_KEYS and SPINECARE_LOOKUP_KEY for a real practice",
                path,
            )
        return stored


def data_keys(conf: settings.Settings, path: Path = DEV_KEYS_FILE) -> tuple[str, ...]:
    """The data keys, newest first (development: one generated key)."""
    if conf.data_keys:
        return tuple(_check_data_key(key) for key in conf.data_keys)
    if conf.environment == "production":
        raise KeyProblem(
            "SPINECARE_DATA_KEYS must be set when SPINECARE_ENV=production: patient data "
            "is never stored unencrypted or under a development key there."
        )
    return (_dev_keys(path)["data"],)


def lookup_key(conf: settings.Settings, path: Path = DEV_KEYS_FILE) -> bytes:
    if conf.lookup_key:
        if len(conf.lookup_key) < 32:
            raise KeyProblem("SPINECARE_LOOKUP_KEY must be at least 32 characters")
        return conf.lookup_key.encode()
    if conf.environment == "production":
        raise KeyProblem("SPINECARE_LOOKUP_KEY must be set when SPINECARE_ENV=production.")
    return _dev_keys(path)["lookup"].encode()


def check_configured(conf: settings.Settings) -> None:
    """Raise KeyProblem now, at start, rather than at the first stored request."""
    data_keys(conf)
    lookup_key(conf)


class Cipher:
    """Encrypts with the newest key, decrypts with any."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyProblem("no data key")
        self._newest = Fernet(keys[0].encode())
        self._all = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._newest.encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._all.decrypt(token.encode()).decode()
        except InvalidToken:
            raise KeyProblem(
                "a stored value does not decrypt with any key in SPINECARE_DATA_KEYS "
                "(was a key removed before `spinecare privacy rotate-key` finished?)"
            ) from None

    def is_current(self, token: str) -> bool:
        """Whether `token` was written with the newest key (rotation skips it)."""
        try:
            self._newest.decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str:
        return self._all.rotate(token.encode()).decode()


_ciphers: dict[tuple[str, ...], Cipher] = {}


def cipher(conf: settings.Settings) -> Cipher:
    keys = data_keys(conf)
    found = _ciphers.get(keys)
    if found is None:
        found = _ciphers[keys] = Cipher(keys)
    return found


def lookup_hash(value: str | None, conf: settings.Settings) -> str | None:
    """HMAC-SHA256 of a normalised value (hex), for exact lookups; None stays None."""
    if value is None or value == "":
        return None
    digest = hmac.new(lookup_key(conf), value.strip().lower().encode(), hashlib.sha256)
    return base64.b16encode(digest.digest()).decode().lower()


def is_token(text: str | None) -> bool:
    return bool(text) and text.startswith(TOKEN_PREFIX)


def decode_stored(stored: str | bytes, conf: settings.Settings) -> str:
    """Stored text as written: decrypted if it is a token, as it is if it predates encryption."""
    text = stored.decode() if isinstance(stored, bytes) else stored
    return cipher(conf).decrypt(text) if is_token(text) else text


# --- the keys of this process's settings, for stored columns -------------------------
#
# The database column types encrypt and decrypt every value, and the lookup columns
# hash every phone and email: reading the settings for each value would cost more
# than the cryptography. The keys are remembered per value of the key settings, so a
# changed environment (a rotation, a test) takes effect at once.

_KEY_SETTINGS = ("SPINECARE_DATA_KEYS", "SPINECARE_LOOKUP_KEY", "SPINECARE_ENV")
_by_environment: dict[tuple[str | None, ...], tuple[Cipher, bytes]] = {}


def _current() -> tuple[Cipher, bytes]:
    """The one settings read below the entry points (tests/test_architecture.py allows it).

    Why: SQLAlchemy calls a column type with a value and nothing else, so no caller
    can hand it settings; the keys are this process's, re-read when they change.
    """
    signature = tuple(os.environ.get(name) for name in _KEY_SETTINGS)
    found = _by_environment.get(signature)
    if found is None:
        conf = settings.load()
        found = _by_environment[signature] = (cipher(conf), lookup_key(conf))
    return found


def current_cipher() -> Cipher:
    """The cipher of the configured SPINECARE_DATA_KEYS (what the stored columns use)."""
    return _current()[0]


def stored_lookup_hash(value: str | None) -> str | None:
    """`lookup_hash` under the configured SPINECARE_LOOKUP_KEY (what the lookup columns hold)."""
    if value is None or value == "":
        return None
    digest = hmac.new(_current()[1], value.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()
