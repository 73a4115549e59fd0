"""Real receivers, request fields and a clock the tests move, for the delivery tests.

Why real servers: what must be shown is that mail really reaches an SMTP server
and signed posts really reach an HTTP server that checks them, including when
those servers fail, stall or are down. The SMTP server (aiosmtpd) and the HTTP
receiver (http.server) run in the test process on free loopback ports and
behave like the practice's systems: the HTTP receiver checks the HMAC with
`verify_signature`, and both dedupe by idempotency key.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from spinecare.delivery.webhook import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)
from spinecare.devserver import free_port

WEBHOOK_SECRET = "test-secret-0123456789abcdef"


def wait_until(condition, timeout: float = 20.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


PERSONAL_VALUES = (
    "Zebediah",
    "Quintrell",
    "2125550182",
    "zeb.quintrell",
    "Burning pain",
    "Philippa",
    "Marchbanks",
    "4155552671",
    "Numb toes",
)


# --- a clock the tests move ---------------------------------------------------------


class Clock:
    """Frozen time that tests advance; starts a little ahead of the real clock so
    that requests submitted during the test (stamped with real time) are due."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc) + timedelta(seconds=5)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# --- SMTP receiver ------------------------------------------------------------------


class MailServer:
    """aiosmtpd on a fixed loopback port; dedupes by X-SpineCare-Idempotency-Key."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.received = Counter()
        self.fail_code: int | None = None
        self.delay = 0.0
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, _server, _session, envelope):
        if self.fail_code:
            return f"{self.fail_code} Try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        key = message["X-SpineCare-Idempotency-Key"]
        with self._lock:
            self.received[key] += 1
            if self.received[key] == 1:
                self.messages.append(message)
                self.envelopes.append(envelope)
        return "250 Message accepted"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def keys(self) -> set[str]:
        with self._lock:
            return {message["X-SpineCare-Idempotency-Key"] for message in self.messages}


# --- HTTP receiver ------------------------------------------------------------------


class Receiver:
    """The practice's CRM: verifies signatures, dedupes by Idempotency-Key.

    mode "ok" accepts; "fail" answers 500; "slow" accepts, then answers only after
    `slow_seconds` (the sender has timed out by then, as with a receiver that
    stalls after committing).
    """

    def __init__(self, secret: str = WEBHOOK_SECRET) -> None:
        self.secret = secret
        self.port = free_port()
        self.mode = "ok"
        self.slow_seconds = 1.5
        self.delay = 0.0
        self.deliveries: dict[str, dict] = {}
        self.posts = Counter()
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/spinecare"

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.mode == "fail":
                    self._answer(500)
                    return
                if not verify_signature(
                    receiver.secret,
                    self.headers.get(TIMESTAMP_HEADER),
                    body,
                    self.headers.get(SIGNATURE_HEADER),
                ):
                    with receiver._lock:
                        receiver.bad_signatures += 1
                    self._answer(401)
                    return
                key = self.headers.get(IDEMPOTENCY_HEADER)
                with receiver._lock:
                    receiver.posts[key] += 1
                    receiver.deliveries.setdefault(key, json.loads(body))
                if receiver.delay:
                    time.sleep(receiver.delay)
                if receiver.mode == "slow":
                    time.sleep(receiver.slow_seconds)
                self._answer(200)

            def _answer(self, status: int) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

        return Handler

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None
