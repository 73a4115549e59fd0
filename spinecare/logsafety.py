"""Keep patient text out of every log line, whatever library writes it.

Why a log-record factory and not a handler filter: Rasa, rasa-sdk, Sanic, socket.io
and structlog each configure their own loggers and handlers, some after our code
runs, and a filter on one handler misses records sent to another. A record factory
sits where every `logging` record is born, in every logger of the process, so it
also covers handlers added later. Warnings are routed through logging too
(`logging.captureWarnings`), because Rasa reports an unknown `/intent` message with
its full text as a warning.

What a record keeps: our own loggers (`spinecare`, `channels`, `actions`,
`addons`, `rasa_sdk_plugins`) write through `spinecare.events.log_event`, whose
fields are allow-listed, so their messages pass. Any other library's message is cut
at the first place where data usually starts (a quote, a bracket, `key=`, `: `, a
new line), keeping only the sentence before it and quoted snake_case identifiers
such as action names. A JSON message (structlog) keeps only its event name.
Exceptions keep their type and stack frames, never their message: exception
messages quote values ("invalid literal for int(): 'Jon'").
"""

from __future__ import annotations

import errno
import json
import logging
import re
import sys
import threading
import traceback
from types import TracebackType

OWN_LOGGERS = ("spinecare", "channels", "actions", "addons", "rasa_sdk_plugins")
WITHHELD = " [...]"
# Quoted text kept as is: snake_case names (actions, intents, slots) and 32-hex ids.
_KEEP_QUOTED = re.compile(r"(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[0-9a-f]{32})")
_KEY_VALUE = re.compile(r"[A-Za-z_][\w.\-]*=")
# Bracketed text kept as is: log levels ("[debug   ]") and timestamps ("[12:00:01 +0000]").
_KEEP_BRACKETED = re.compile(
    r"\[\s*(?:(?:debug|info|warning|error|critical|exception)\s*"
    r"|[\d\s+\-.,T]*\d:\d\d[\d\s:+\-.,T]*)\]",
    re.I,
)
_STARTS_DATA = set("'\"[{(<\n\r`")

_lock = threading.Lock()
_installed = False


def redact_message(message: str) -> str:
    """The part of a third-party log message that cannot hold a user's text."""
    stripped = message.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return f"{data.get('event', 'event')}{WITHHELD}"
    out: list[str] = []
    i, n = 0, len(message)
    while i < n:
        ch = message[i]
        if ch in ("'", '"'):
            end = message.find(ch, i + 1)
            if end != -1 and _KEEP_QUOTED.fullmatch(message[i + 1 : end]):
                out.append(message[i : end + 1])
                i = end + 1
                continue
            return "".join(out).rstrip() + WITHHELD
        if ch == "[":
            kept = _KEEP_BRACKETED.match(message, i)
            if kept:
                out.append(kept.group())
                i = kept.end()
                continue
        if ch in _STARTS_DATA:
            return "".join(out).rstrip() + WITHHELD
        if ch == ":" and i + 1 < n and message[i + 1] in " \t":
            return "".join(out) + ":" + WITHHELD
        if (i == 0 or not (message[i - 1].isalnum() or message[i - 1] in "_.-")) and (
            _KEY_VALUE.match(message, i)
        ):
            return "".join(out).rstrip() + WITHHELD
        out.append(ch)
        i += 1
    return "".join(out)


def safe_exception_text(
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> str:
    """A traceback with frames and exception types only: no exception messages."""
    lines = ["Traceback (most recent call last):\n"]
    lines.extend(traceback.format_tb(tb))
    names = []
    seen: set[int] = set()
    current = exc_value
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        if isinstance(current, OSError) and current.errno in errno.errorcode:
            name += f"({errno.errorcode[current.errno]})"  # e.g. EADDRINUSE: no user data
        names.append(name)
        current = current.__cause__ or current.__context__
    if not names and exc_type is not None:
        names.append(exc_type.__qualname__)
    lines.append(" <- ".join(names) + " (message withheld)")
    return "".join(lines)


def _is_own(name: str) -> bool:
    return name.split(".", 1)[0] in OWN_LOGGERS


def sanitize(record: logging.LogRecord) -> logging.LogRecord:
    """Redact one record in place (see the module docstring); returns it."""
    if not _is_own(record.name):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep nothing of it
            message = str(record.msg)
        record.msg = redact_message(message)
        record.args = ()
    if record.exc_info and record.exc_info is not True:
        exc_type, exc_value, tb = record.exc_info
        record.msg = f"{record.msg}\n{safe_exception_text(exc_type, exc_value, tb)}"
        record.exc_info = None
        record.exc_text = None
    return record


def _excepthook(
    exc_type: type[BaseException], exc_value: BaseException, tb: TracebackType | None
) -> None:
    sys.stderr.write(safe_exception_text(exc_type, exc_value, tb) + "\n")


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    sys.stderr.write(safe_exception_text(args.exc_type, args.exc_value, args.exc_traceback))
    sys.stderr.write("\n")


def install() -> None:
    """Install the redaction in this process; idempotent, call it before anything logs."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            return sanitize(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        logging.captureWarnings(True)
        sys.excepthook = _excepthook
        threading.excepthook = _thread_excepthook
        _installed = True
