"""What an inbound text means before the assistant reads it: STOP, START, HELP, or a message.

Why before NLU: opt-out is a legal duty, not a guess. Carriers and Twilio treat a
message that is exactly one of the opt-out keywords (any case) as a revocation of
consent and block further texts from the number; since 2025-04-11 (FCC 47 CFR
64.1200(a)(10)-(12)) consent can also be revoked in plain words ("please stop
texting me"). So these are matched by fixed rules, the same on every channel, and
never reach the classifier.

CANCEL is one of the carrier keywords. A message that is only "cancel" is therefore
an opt-out on every channel, even in the middle of an intake (the intake is stopped
too, nothing saved); "cancel request" (or "cancel my request", "stop the request")
cancels only the request. See docs/channels.md.
"""

from __future__ import annotations

import enum
import re

OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
# Spellings carriers and other providers also honour; honouring more never hurts a patient.
OPT_OUT_VARIANTS = frozenset({"STOP ALL", "OPT OUT", "OPT-OUT"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP"})
# Twilio (and carriers) also opt a number back in on YES; only then is YES an opt-in here,
# so that both registries agree. For everyone else "yes" is an answer.
OPT_IN_WHEN_OPTED_OUT = frozenset({"YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})


class Keyword(enum.Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


_EDGE_PUNCTUATION = " \t\r\n.!?,;:\"'()"

# Plain-language revocations. Each needs a stop/no-more verb AND a word for messaging or
# contacting, so "should I stop exercising?" or "stop the request" are not opt-outs.
_CONTACT = (
    r"(?:text(?:s|ing|ed)?|txt(?:s|ing)?|sms|messag(?:e|es|ing)|contact(?:ing)?|writ(?:e|ing))"
)
_PLAIN_LANGUAGE = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b(?:stop|quit|cease)\s+(?:sending\s+(?:me\s+)?(?:any\s+)?(?:more\s+)?)?{_CONTACT}\b",
        rf"\bstop\s+(?:the|these|all|your|those)\s+(?:\w+\s+)?{_CONTACT}\b",
        rf"\b(?:don'?t|do not|never)\s+(?:ever\s+)?{_CONTACT}\s+(?:me|us|this number)\b",
        rf"\bno\s+more\s+(?:\w+\s+)?{_CONTACT}\b",
        rf"\b(?:don'?t|do not)\s+want\s+(?:any\s+)?(?:more\s+)?(?:\w+\s+)?{_CONTACT}\b",
        r"\bunsubscribe\b",
        r"\bopt\s*-?\s*out\b",
        r"\b(?:remove|take)\s+me\s+(?:off|from)\b",
        r"\b(?:revoke|withdraw)\b.{0,30}\bconsent\b",
    )
)
_REQUEST_CANCEL = re.compile(
    r"(?:please\s+)?(?:cancel|stop)\s+(?:the\s+|my\s+|this\s+)?(?:mri\s+|call-?back\s+)?"
    r"(?:request|review|form|intake|call-?back)(?:\s+please)?",
    re.IGNORECASE,
)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip(_EDGE_PUNCTUATION)).upper()


def classify(text: str | None, *, opted_out: bool = False) -> Keyword | None:
    """The keyword `text` is, if it is nothing but a keyword; None for an ordinary message."""
    word = _normalised(text or "")
    if word in OPT_OUT_KEYWORDS or word in OPT_OUT_VARIANTS:
        return Keyword.OPT_OUT
    if word in OPT_IN_KEYWORDS or (opted_out and word in OPT_IN_WHEN_OPTED_OUT):
        return Keyword.OPT_IN
    if word in HELP_KEYWORDS:
        return Keyword.HELP
    if is_plain_language_opt_out(text or ""):
        return Keyword.OPT_OUT
    return None


def opt_out_method(text: str | None) -> str:
    """How an opt-out was said, for the registry: "keyword" (STOP...) or "plain_language"."""
    word = _normalised(text or "")
    return "keyword" if word in OPT_OUT_KEYWORDS or word in OPT_OUT_VARIANTS else "plain_language"


def is_plain_language_opt_out(text: str) -> bool:
    """Whether `text` asks, in ordinary words, not to be texted or contacted any more."""
    return len(text) <= 300 and any(pattern.search(text) for pattern in _PLAIN_LANGUAGE)


def is_request_cancel(text: str | None) -> bool:
    """ "cancel request" and its variants: stop the intake or call-back, keep getting texts."""
    return bool(_REQUEST_CANCEL.fullmatch((text or "").strip(_EDGE_PUNCTUATION)))
