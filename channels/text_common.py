"""What the SMS/WhatsApp and Messenger channels share: one inbound message, start to finish.

Why this shape:
- Providers give up on a webhook that answers slowly (Twilio after 15 s) and then
  retry, so the webhook only verifies, answers at once, and hands the message to a
  background task (`Relay.spawn`).
- The background task takes the message in once (`claim_inbound`: a retried
  webhook with the same provider message id is dropped, also across replicas,
  because the ids live in the database), then, in order per sender, handles
  STOP/START/HELP itself, tells a patient who sent a photo how to send it instead,
  maps a numbered choice back to its payload, runs the assistant's turn with a
  collecting output channel, and sends the rendered turn.
- Every outbound message passes `Relay.send_text`, which checks the opt-out
  registry right before sending. Only the opt-out confirmation, the START and HELP
  replies the person asked for, and emergency advice (the TCPA's emergency-purpose
  exemption) go to an opted-out number. A message from an opted-out number is only
  parsed (the NLU pipeline with the red-flag rules, no conversation turn): unless it
  is an emergency, it never reaches the dialogue, so no form can go on unseen.
- Logs carry the pseudonymous conversation id, the channel and outcomes, never a
  phone number, a Messenger id, text or a media URL (`spinecare.events.log_event`).

One file of about 420 lines on purpose: it is one message's path, start to finish, in
the order above, and the opt-out guarantee is only checkable when that path is read
whole; the pure parts (keywords, rendering a turn as text) live in `spinecare.messaging`
and the records in `spinecare.storage.messaging`.
"""

from __future__ import annotations

import asyncio
import re
import time
import weakref
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic.request import Request

from spinecare import bootstrap, names, settings
from spinecare.events import log_event
from spinecare.messaging import keywords
from spinecare.messaging.render import resolve_choice
from spinecare.storage import messaging

# Purposes that may reach an opted-out number (see the module docstring).
ALWAYS_ALLOWED = frozenset({"opt_out_confirmation", "opt_in_confirmation", "help", "emergency"})
# Bodies larger than this are refused (413); up to the drain limit they are read and
# dropped first, so an honest client still gets the answer; beyond it the connection closes.
DRAIN_LIMIT_BYTES = 8 * 1024 * 1024
# Messages per sender per minute before further ones are dropped unanswered (a stuck
# phone or a loop between two bots must not run up the practice's texting bill).
RATE_LIMIT_PER_MINUTE = 20
# Longest text passed to the assistant (SMS concatenates up to 1,600 characters).
MAX_TEXT_CHARS = 2000
SHUTDOWN_GRACE_SECONDS = 10.0
FORM_CANCELLED_RESPONSES = frozenset({"utter_intake_cancelled", "utter_callback_cancelled"})
EMERGENCY_INTENTS = frozenset({names.REPORT_RED_FLAG})

Parse = Callable[[str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Inbound:
    """One message as the provider delivered it, already verified."""

    provider: str  # "twilio" or "messenger": the namespace of message_id
    message_id: str
    channel: str  # "sms", "whatsapp" or "messenger"
    sender: str  # E.164 number, or Messenger page-scoped id
    text: str = ""
    media_count: int = 0
    payload: str | None = None  # a quick reply's or postback's payload (Messenger)
    opt_out_signal: bool = False  # the provider says this was an opt-out (Twilio OptOutType)

    @property
    def address(self) -> str:
        return messaging.opt_out_address(self.channel, self.sender)


class TurnCollector(OutputChannel):
    """Collects the assistant's replies of one turn, to be rendered and sent together."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.messages: list[dict[str, Any]] = []

    def name(self) -> str:  # type: ignore[override]  (Rasa's NLG picks `channel:` variants)
        return self.channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages.append(dict(message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})


class Store:
    """The messaging records, used from async code: each call runs in a worker thread.

    The database comes from `spinecare.bootstrap`, which migrates it on first use (the
    Rasa server may meet a new release's database before the action server does).
    """

    def __init__(self, conf: settings.Settings) -> None:
        self.conf = conf

    def _sessions(self):
        return bootstrap.sessions(self.conf.database_url, conf=self.conf)

    def _call(self, function, *args):
        with self._sessions()() as session:
            return function(session, *args)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(self._call, function, *args)

    async def prepare(self) -> None:
        """Migrate at server start, so a database problem shows before the first message."""
        try:
            await asyncio.to_thread(self._sessions)
        except Exception as error:  # retried on first use; the server still starts
            log_event("messaging_store_unavailable", None, error_type=type(error).__name__)


class RateLimiter:
    """At most `limit` events per key in any 60 seconds (in this process)."""

    def __init__(self, limit: int = RATE_LIMIT_PER_MINUTE, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        events = self._events[key]
        while events and now - events[0] > self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 10_000:
            for stale in [k for k, v in self._events.items() if not v or now - v[-1] > self.window]:
                del self._events[stale]
        return True


async def read_limited_body(request: Request, limit: int) -> bytes | None:
    """The raw body of a streamed request, or None when it is larger than `limit`."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > DRAIN_LIMIT_BYTES):
        request.stream.request_max_size = limit  # Sanic stops reading and closes
        return None
    chunks, size = [], 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size > DRAIN_LIMIT_BYTES:
            request.stream.request_max_size = limit
            return None
        if size <= limit:
            chunks.append(chunk)
    return b"".join(chunks) if size <= limit else None


def agent_parser(request: Request) -> Parse | None:
    """The Rasa agent's NLU-only parse, when the app has an agent (the Rasa server does)."""
    agent = getattr(request.app.ctx, "agent", None)
    return getattr(agent, "parse_message", None)


def clean_text(text: str | None) -> str:
    """A patient's words for the assistant: trimmed, bounded, never a Rasa command.

    A message starting with "/" would be read by Rasa as an intent with entities
    ("/inform{...}"), skipping the classifier and the red-flag rules; only payloads
    of the buttons we offered may do that.
    """
    text = (text or "").replace("\x00", "").strip()[:MAX_TEXT_CHARS]
    return re.sub(r"^/+\s*", "", text)


class Relay:
    """Takes verified inbound messages through opt-out handling and the assistant.

    Subclasses (one per provider) implement `deliver_turn` and `send_text`'s
    transport `_transport`.
    """

    provider = ""

    def __init__(self, conf: settings.Settings) -> None:
        self.conf = conf
        self.store = Store(conf)
        self.limiter = RateLimiter()
        self._tasks: set[asyncio.Task] = set()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    # --- background work ---

    def spawn(
        self,
        inbound: Inbound,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        parse: Parse | None = None,
    ) -> None:
        """Process `inbound` after the webhook has answered.

        `parse` is the Rasa agent's `parse_message` (NLU only, no conversation turn),
        used to find emergencies in messages from opted-out numbers.
        """
        lock = self._locks.get(inbound.address)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[inbound.address] = lock
        task = asyncio.get_running_loop().create_task(
            self._guarded(inbound, on_new_message, parse, lock)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let messages being processed finish (server shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def _guarded(self, inbound: Inbound, on_new_message, parse, lock: asyncio.Lock) -> None:
        async with lock:  # taken first, so one sender's messages keep their order
            started = time.monotonic()
            try:
                await self.process(inbound, on_new_message, parse)
            except Exception as error:
                log_event(
                    f"{inbound.channel}_message_failed",
                    None,
                    channel=inbound.channel,
                    error_type=type(error).__name__,
                )
            log_event(
                f"{inbound.channel}_message_done",
                None,
                channel=inbound.channel,
                duration_ms=round((time.monotonic() - started) * 1000),
            )

    # --- one message ---

    async def process(self, inbound: Inbound, on_new_message, parse: Parse | None = None) -> None:
        if not await self.store.run(messaging.claim_inbound, self.provider, inbound.message_id):
            log_event("messaging_duplicate", None, channel=inbound.channel, outcome="dropped")
            return
        contact = await self.store.run(
            messaging.contact_for_inbound, inbound.channel, inbound.sender
        )
        conversation = contact.conversation_id
        kind = "media" if inbound.media_count else "text"
        log_event("messaging_received", conversation, channel=inbound.channel, kind=kind)
        if not self.limiter.allow(inbound.address):
            log_event("messaging_rate_limited", conversation, channel=inbound.channel)
            return
        opted_out = await self.store.run(messaging.is_opted_out, inbound.address)
        keyword = (
            keywords.Keyword.OPT_OUT
            if inbound.opt_out_signal
            else (None if inbound.payload else keywords.classify(inbound.text, opted_out=opted_out))
        )
        if keyword is keywords.Keyword.OPT_OUT:
            await self._opt_out(inbound, contact, on_new_message)
            return
        if keyword is keywords.Keyword.OPT_IN:
            await self.store.run(messaging.record_opt_in, inbound.address, inbound.channel)
            log_event("messaging_opt_in", conversation, channel=inbound.channel)
            await self.send_text(contact, self.opt_in_text(), "opt_in_confirmation")
            return
        if keyword is keywords.Keyword.HELP:
            log_event("messaging_help", conversation, channel=inbound.channel)
            await self.send_text(contact, self.help_text(), "help")
            return
        if inbound.media_count:
            # Not downloaded, not stored, its URL not logged: only the count is known here.
            log_event("messaging_media_refused", conversation, count=inbound.media_count)
            await self.send_text(contact, self.media_text(), "conversation")
            if not inbound.text.strip():
                return
        text = self._assistant_text(inbound, contact)
        if not text:
            return
        if opted_out and not await self._is_emergency(parse, text):
            log_event("messaging_opted_out_ignored", conversation, channel=inbound.channel)
            return
        messages = await self._turn(on_new_message, inbound, contact, text)
        if opted_out:
            # Only emergency advice goes to an opted-out number; nothing else is rendered.
            messages = [m for m in messages if m.get("safety")]
            log_event("messaging_opted_out_turn", conversation, count=len(messages))
            if not messages:
                return
        await self.deliver_turn(contact, messages)

    @staticmethod
    async def _is_emergency(parse: Parse | None, text: str) -> bool:
        """Whether the NLU pipeline (with the red-flag rules) reads `text` as an emergency."""
        if parse is None:
            return False
        try:
            parsed = await parse(text)
        except Exception as error:
            log_event("messaging_parse_failed", None, error_type=type(error).__name__)
            return False
        return ((parsed or {}).get("intent") or {}).get("name") in EMERGENCY_INTENTS

    def _assistant_text(self, inbound: Inbound, contact: messaging.Contact) -> str:
        choices = contact.pending_choices
        if inbound.payload is not None:
            offered = {choice.get("payload") for choice in choices}
            if inbound.payload in offered:
                return inbound.payload
        picked = resolve_choice(inbound.text, choices)
        if picked is not None:
            return picked
        if keywords.is_request_cancel(inbound.text):
            return f"/{names.CANCEL}"
        return clean_text(inbound.text)

    def _metadata(self, inbound: Inbound, **extra: Any) -> dict[str, Any]:
        return {"channel": inbound.channel, "sender": inbound.address, **extra}

    async def _turn(
        self, on_new_message, inbound: Inbound, contact: messaging.Contact, text: str, **extra: Any
    ) -> list[dict[str, Any]]:
        collector = TurnCollector(inbound.channel)
        message = UserMessage(
            text,
            collector,
            contact.conversation_id,
            input_channel=inbound.channel,
            metadata=self._metadata(inbound, **extra),
        )
        try:
            await on_new_message(message)
        except Exception as error:
            log_event(
                "messaging_turn_failed",
                contact.conversation_id,
                channel=inbound.channel,
                error_type=type(error).__name__,
            )
            return [{"text": self.apology_text()}]
        return collector.messages

    async def _opt_out(self, inbound: Inbound, contact: messaging.Contact, on_new_message) -> None:
        method = "keyword" if inbound.opt_out_signal else keywords.opt_out_method(inbound.text)
        await self.store.run(messaging.record_opt_out, inbound.address, inbound.channel, method)
        log_event(
            "messaging_opt_out", contact.conversation_id, channel=inbound.channel, kind=method
        )
        # Stop any request in progress through the assistant's own cancel path (its
        # replies are not sent: the number has opted out).
        replies = await self._turn(
            on_new_message, inbound, contact, f"/{names.CANCEL}", opt_out=True
        )
        stopped = any(reply.get("utter_action") in FORM_CANCELLED_RESPONSES for reply in replies)
        await self.store.run(messaging.set_pending_choices, contact.conversation_id, [])
        await self.send_text(contact, self.opt_out_text(stopped), "opt_out_confirmation")

    # --- what is said ---

    def opt_out_text(self, request_stopped: bool) -> str:
        name = self.conf.practice_name
        if request_stopped:
            return (
                f"You're unsubscribed from {name} messages, and the request we were filling "
                "in is stopped; nothing was saved. Reply START to resubscribe."
            )
        return f"You're unsubscribed from {name} messages. Reply START to resubscribe."

    def opt_in_text(self) -> str:
        return (
            f"You're resubscribed to {self.conf.practice_name} messages. Msg & data rates "
            "may apply. Reply HELP for help, STOP to opt out."
        )

    def help_text(self) -> str:
        return (
            f"{self.conf.practice_name}: sciatica questions and no-cost MRI reviews. "
            f"Call us at {self.conf.practice_phone}. We reply only when you write. "
            "Msg & data rates may apply. Reply STOP to opt out."
        )

    def media_text(self) -> str:
        return (
            "Thanks, but I can't accept photos or files here, and I haven't kept what you "
            "sent. Please don't text pictures of medical records. To share your MRI report "
            f"or images, call us at {self.conf.practice_phone}, or ask the consultant who "
            "contacts you: they'll tell you how to send them securely."
        )

    def apology_text(self) -> str:
        return (
            "Sorry, something went wrong on our side. Please try again in a minute, or call "
            f"us at {self.conf.practice_phone}."
        )

    # --- sending ---

    async def send_text(self, contact: messaging.Contact, text: str, purpose: str, **extra) -> bool:
        """Send one message unless the registry forbids it; whether it was sent."""
        address = messaging.opt_out_address(contact.channel, contact.address)
        if purpose not in ALWAYS_ALLOWED and await self.store.run(messaging.is_opted_out, address):
            log_event("messaging_suppressed", contact.conversation_id, outcome="opted_out")
            return False
        return await self._transport(contact, text, purpose, **extra)

    async def _transport(
        self, contact: messaging.Contact, text: str, purpose: str, **extra
    ) -> bool:
        raise NotImplementedError

    async def deliver_turn(
        self, contact: messaging.Contact, messages: Sequence[Mapping[str, Any]]
    ) -> None:
        raise NotImplementedError
