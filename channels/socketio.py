"""The chat widget's socket.io channel, with sessions bound to the socket that owns them.

Why a subclass of Rasa's `SocketIOInput`: Rasa 3.6 accepts any `session_id` a client
sends, both in `session_request` and in every message, and turns the Origin check
off. Here:

- the server issues every session id, signed (`spinecare.sessions`); a
  `session_request` whose id does not verify gets a fresh session, never the one it
  named, so nobody can join another patient's conversation;
- a socket may only send messages for the session it was confirmed; anything else
  is dropped;
- only the chat page's origins may connect (SPINECARE_CHAT_ORIGINS);
- message length, message rates and new sessions per address are limited
  (`channels.common`), and the client's own metadata is replaced by ours.

rasa-webchat 1.0.1 works unchanged: it stores what `session_confirm` returns and
offers it again after a reload, which verifies, so the history continues.
"""

from __future__ import annotations

import hmac
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.common import (
    TOO_MANY_SESSIONS,
    MessageGate,
    cap_request_size,
    client_ip,
    session_keys,
)
from spinecare import settings
from spinecare.events import log_event
from spinecare.sessions import Session, SessionSigner


class _CappedSocketBlueprint(SocketBlueprint):
    def __init__(self, *args: Any, max_body_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.max_body_bytes = max_body_bytes

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        cap_request_size(app, self.ctx.max_body_bytes)
        super().register(app, options)


async def _maybe_await(result: Any) -> None:
    """python-socketio 5.9's enter_room/leave_room are plain calls; later ones are async."""
    if inspect.isawaitable(result):
        await result


class SignedSocketIOInput(SocketIOInput):
    """socket.io for the widget: signed, owner-bound sessions (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SignedSocketIOInput:
        credentials = credentials or {}
        if credentials.get("jwt_key") or credentials.get("session_persistence") is False:
            raise ValueError("channels.socketio: jwt_key and session_persistence are fixed here")
        return cls(
            settings.load(),
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(
        self,
        conf: settings.Settings,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        socketio_path: str = "/socket.io",
    ) -> None:
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence=True,
            socketio_path=socketio_path,
        )
        self.conf = conf
        signing_keys = session_keys(conf)
        self.signer = SessionSigner(signing_keys, conf.conversation_retention_hours * 3600)
        self.gate = MessageGate(conf, ip_key=signing_keys[0])
        self._sessions: dict[str, Session] = {}  # socket id -> the session it owns
        self._addresses: dict[str, str] = {}  # socket id -> client address

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        conf = self.conf
        allowed_origins = frozenset(conf.chat_page_origins)
        # CORS headers come from Rasa's --cors (sanic-cors, the same origins); engine.io
        # adding its own would send the header twice, which browsers reject. The Origin
        # check that engine.io would do is in `connect` below.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            max_http_buffer_size=conf.max_body_bytes,
        )
        socketio_webhook = _CappedSocketBlueprint(
            sio,
            self.socketio_path,
            "socketio_webhook",
            __name__,
            max_body_bytes=conf.max_body_bytes,
        )
        self.sio = sio
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def say(sid: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=namespace)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origin is not None and origin.rstrip("/") not in allowed_origins:
                log_event("connection_refused", channel="socketio", outcome="origin")
                return False
            self._addresses[sid] = client_ip(environ.get("sanic.request"), conf.proxies_count)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            self._sessions.pop(sid, None)
            self._addresses.pop(sid, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            offered = data.get("session_id") if isinstance(data, dict) else None
            session = self.signer.verify(offered)
            if session is None:
                if not self.gate.allow_new_session(self._addresses.get(sid, "unknown")):
                    log_event("session_refused", channel="socketio", outcome="rate_limited")
                    await say(sid, TOO_MANY_SESSIONS)
                    return
                session = self.signer.issue()
                outcome = "replaced" if offered else "new"
            else:
                outcome = "resumed"
            log_event("session_confirmed", session.conversation_id, channel="socketio",
                      outcome=outcome)  # fmt: skip
            previous = self._sessions.get(sid)
            if previous is not None and previous.conversation_id != session.conversation_id:
                await _maybe_await(sio.leave_room(sid, previous.conversation_id, namespace))
            self._sessions[sid] = session
            await _maybe_await(sio.enter_room(sid, session.conversation_id, namespace))
            await sio.emit("session_confirm", session.token, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            session = self._sessions.get(sid)
            offered = data.get("session_id") if isinstance(data, dict) else None
            if (
                session is None
                or not isinstance(offered, str)
                or not hmac.compare_digest(offered.encode(), session.token.encode())
            ):
                log_event("message_refused", channel="socketio", outcome="not_session_owner")
                return
            text = data.get("message")
            if not isinstance(text, str):
                return
            ip = self._addresses.get(sid, "unknown")
            refusal = self.gate.refusal(text, session.conversation_id, ip, self.name())
            if refusal is not None:
                await say(sid, refusal[1])
                return
            await on_new_message(
                UserMessage(
                    text,
                    SocketIOOutput(sio, self.bot_message_evt),
                    session.conversation_id,
                    input_channel=self.name(),
                    metadata=self.gate.metadata(ip),
                )
            )

        return socketio_webhook
