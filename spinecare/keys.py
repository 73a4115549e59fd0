"""The server-side secrets: the chat session key(s) and the action server's shared secret.

Why a development fallback: `make run` must work on a fresh clone with no
configuration, yet the chat and the action server never run without a secret.
On loopback, a missing secret is replaced by one generated once and kept in
`var/dev-secrets.json` (mode 0600, never committed), shared by every process of the
checkout, so sessions survive a restart. On any other address a missing secret is
an error: production secrets come only from the environment.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from spinecare import settings

DEV_SECRETS_FILE = settings.PROJECT_ROOT / "var" / "dev-secrets.json"
DEV_SECRET_NAMES = ("session", "action_server")
MIN_SECRET_CHARS = 32
# The header Rasa sends the action server's shared secret in (endpoints.yml `headers:`).
ACTION_SECRET_HEADER = "X-SpineCare-Action-Secret"  # noqa: S105 (a header name)


class SecretError(RuntimeError):
    """A secret is missing where it must be configured, or too short to be safe."""


def _checked(name: str, value: str) -> str:
    if len(value) < MIN_SECRET_CHARS:
        raise SecretError(
            f"{name} must be at least {MIN_SECRET_CHARS} characters; generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return value


def session_secrets(conf: settings.Settings, path: Path = DEV_SECRETS_FILE) -> tuple[str, ...]:
    """Keys that sign chat session ids, newest first."""
    if conf.session_secrets:
        return tuple(_checked("SPINECARE_SESSION_SECRET", key) for key in conf.session_secrets)
    if not settings.is_loopback(conf.host):
        raise SecretError(
            f"SPINECARE_SESSION_SECRET must be set when the chat listens on {conf.host}, "
            "because anyone could otherwise forge a session id."
        )
    return (dev_secrets(path)["session"],)


def action_server_secret(conf: settings.Settings, path: Path = DEV_SECRETS_FILE) -> str:
    """The secret Rasa sends to the action server and the action server requires."""
    if conf.action_server_secret:
        return _checked("SPINECARE_ACTION_SERVER_SECRET", conf.action_server_secret)
    if not settings.is_loopback(conf.actions_host):
        raise SecretError(
            "SPINECARE_ACTION_SERVER_SECRET must be set when the action server listens on "
            f"{conf.actions_host}, because anyone who reaches it could run actions."
        )
    return dev_secrets(path)["action_server"]


def dev_secrets_in_use(conf: settings.Settings) -> list[str]:
    """The settings that fall back to the development secrets file."""
    names = []
    if not conf.session_secrets:
        names.append("SPINECARE_SESSION_SECRET")
    if not conf.action_server_secret:
        names.append("SPINECARE_ACTION_SERVER_SECRET")
    return names


def dev_secrets(path: Path = DEV_SECRETS_FILE) -> dict[str, str]:
    """The checkout's development secrets, created once (atomically, mode 0600)."""
    try:
        stored = json.loads(path.read_text())
    except FileNotFoundError:
        stored = {}
    if all(isinstance(stored.get(name), str) for name in DEV_SECRET_NAMES):
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = {name: stored.get(name) or secrets.token_urlsafe(48) for name in DEV_SECRET_NAMES}
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(fresh, handle)
    try:
        if stored:
            os.replace(temp, path)  # adding a missing name to an older file
        else:
            os.link(temp, path)  # fails if another process created it meanwhile
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return json.loads(path.read_text())


def rest_exposure_problem(conf: settings.Settings, interface: str) -> str | None:
    """Why a token-less REST channel must not start on `interface`, or None if it may."""
    if conf.rest_token:
        return None
    for host in (interface, conf.host):
        if not settings.is_loopback(host):
            return (
                f"The REST channel would listen on {host} without SPINECARE_REST_TOKEN, so "
                "anyone who reaches it could talk as any patient: set the token or remove "
                "`channels.rest.TokenRestInput` from credentials.yml."
            )
    return None
