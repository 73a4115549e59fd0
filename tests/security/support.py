"""What the security tests share: a hostile-minded socket.io client, the persona, the stores.

The persona's details are distinctive on purpose, so that finding one of them in a
log file or a stored conversation cannot be a coincidence.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from spinecare import crypto, devserver, settings
from spinecare.storage import schema
from spinecare.training import train_if_needed

# --- the secure stack's settings (tests/security/conftest.py) ---------------------------
REST_TOKEN = secrets.token_urlsafe(32)
LIMITS = {
    "SPINECARE_RATE_SESSION_MESSAGES_PER_MINUTE": "20",
    "SPINECARE_RATE_IP_MESSAGES_PER_MINUTE": "30",
    "SPINECARE_RATE_IP_NEW_SESSIONS_PER_MINUTE": "4",
    "SPINECARE_RATE_IP_REQUESTS_PER_HOUR": "1",
}

# --- the persona ----------------------------------------------------------------------
NAME = "Maria Quixley"
PHONE = "(212) 555-0147"
EMAIL = "maria.quixley@example.org"
ZIP = "99501"  # Anchorage; above 65535, so it can never be a port number in a log
SYMPTOMS = "burning pain radiating down my left calf with tingling"
RED_FLAG = "I suddenly can't control my bladder and my groin feels numb"

INTAKE = [  # (answer, what the next question says)
    ("I'd like the free MRI review", "first and last name"),
    (NAME, "18 or older"),
    ("yes", "Have you had an MRI"),
    ("yes", "when was your MRI taken"),
    ("about three months ago", "Which part of your spine"),
    ("lower back", "main symptoms"),
    (SYMPTOMS, "How long"),
    ("about three months", "treatments"),
    ("PT and a couple of injections", "phone number"),
    (PHONE, "email"),
    (EMAIL, "ZIP code"),
    (ZIP, "How would you like"),
    ("text", "best time"),
    ("morning", "Is everything correct?"),
]

# What must never be found where patient text may not be (case-insensitive words).
PERSONA_PATTERNS = {
    "name": r"\bquixley\b",
    "phone": r"555.?0147|2125550147",
    "email": r"maria\.quixley",
    "zip": r"\b99501\b",
    "symptom words": r"\b(?:radiating|calf|tingling|suddenly|groin)\b",
}


def leaks(text: str, patterns: dict[str, str] = PERSONA_PATTERNS) -> dict[str, list[str]]:
    """Which persona details (`patterns`) appear in `text`, with the lines they appear on."""
    found: dict[str, list[str]] = {}
    for what, pattern in patterns.items():
        lines = [line for line in text.splitlines() if re.search(pattern, line, re.I)]
        if lines:
            found[what] = lines[:5]
    return found


# --- stacks ---------------------------------------------------------------------------
@contextlib.contextmanager
def running_stack(
    tmp: Path, env: dict[str, str], **start_kwargs: object
) -> Iterator[devserver.Stack]:
    """A whole assistant on free ports, with `env` as its environment (and nothing else's)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            webchat_port=devserver.free_port(),
            console_port=devserver.free_port(),
            database_url=f"sqlite:///{tmp / 'requests.db'}",
            tracker_store_url=f"sqlite:///{tmp / 'conversations.db'}",
        )
        schema.migrate(
            conf.database_url, settings.load()
        )  # as the console would, which these stacks may omit
        log_path = tmp / "servers.log"
        log = log_path.open("w")
        try:
            stack = devserver.start(conf, train_if_needed(), log=log, **start_kwargs)
        except Exception:
            log.close()
            print(log_path.read_text()[-5000:])
            raise
    try:
        yield stack
    finally:
        stack.stop()
        log.close()


def conversation_rows(stack: devserver.Stack, sender: str) -> list[str]:
    """The stored events (JSON text) of one conversation, read from the SQLite store.

    Rows are encrypted at rest (issue 12): each is decrypted here with the checkout's
    keys, the same the servers use; `raw_conversation_rows` gives them as stored.
    """
    return [
        crypto.decode_stored(row, settings.load()) for row in raw_conversation_rows(stack, sender)
    ]


def raw_conversation_rows(stack: devserver.Stack, sender: str) -> list[str]:
    path = stack.conf.tracker_store_url.removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            )
        ]


def stored_user_texts(stack: devserver.Stack, sender: str) -> list[str]:
    return [
        event.get("text") or ""
        for event in map(json.loads, conversation_rows(stack, sender))
        if event.get("event") == "user"
    ]


# --- socket.io ------------------------------------------------------------------------
class ChatSocket:
    """One socket.io client as rasa-webchat speaks: session_request, then user_uttered."""

    def __init__(self, rasa_url: str, origin: str | None = None, client_ip: str | None = None):
        self.rasa_url = rasa_url
        self.headers: dict[str, str] = {}
        if origin:
            self.headers["Origin"] = origin
        if client_ip:
            self.headers["X-Forwarded-For"] = client_ip
        self.client = socketio.AsyncClient(reconnection=False)
        self.bot: asyncio.Queue = asyncio.Queue()
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.token: str | None = None
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data: dict) -> None:
        await self.bot.put(data.get("text") or "")

    async def _on_confirm(self, data: object) -> None:
        await self.confirmed.put(data)

    async def connect(self) -> ChatSocket:
        # Polling: the websocket client of python-engineio needs a newer aiohttp than Rasa's.
        await self.client.connect(self.rasa_url, headers=self.headers, transports=["polling"])
        return self

    async def start_session(self, offered: str | None = None, timeout: float = 30) -> str:
        await self.client.emit("session_request", {"session_id": offered})
        self.token = await asyncio.wait_for(self.confirmed.get(), timeout)
        return self.token

    async def send(self, text: str, session_id: str | None = None) -> None:
        await self.client.emit(
            "user_uttered", {"message": text, "session_id": session_id or self.token}
        )

    async def replies(self, first_within: float = 90, quiet: float = 2.0) -> list[str]:
        """Bot messages until `quiet` seconds pass without one (none if the first never comes)."""
        texts = []
        try:
            texts.append(await asyncio.wait_for(self.bot.get(), first_within))
            while True:
                texts.append(await asyncio.wait_for(self.bot.get(), quiet))
        except asyncio.TimeoutError:
            return texts

    async def say(self, text: str) -> str:
        await self.send(text)
        return "\n".join(await self.replies())

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()


def forged_tokens(token: str) -> list[str]:
    """What a hostile client would send for a patient's signed session token."""
    from spinecare.sessions import SessionSigner

    kid, conversation_id, issued, mac = token.split(".")
    other_key = SessionSigner(["some other key of at least 32 characters!!"], 3600)
    return [
        conversation_id,  # the bare conversation id, as it appears in logs
        f"{kid}.{conversation_id}.{issued}.{mac[::-1]}",  # a tampered signature
        f"{kid}.{conversation_id}.{issued}",  # no signature at all
        other_key.issue().token,  # signed with a key the servers do not have
        token + "x",
    ]


def env_without_secrets() -> dict[str, str]:
    """os.environ minus every SpineCare secret, for servers that must find none."""
    secret = ("SESSION_SECRET", "ACTION_SERVER_SECRET", "REST_TOKEN")
    return {k: v for k, v in os.environ.items() if not any(k.endswith(s) for s in secret)}
