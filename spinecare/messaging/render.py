"""How the assistant's replies look as text messages: plain text, numbered choices, SMS segments.

Why a renderer per channel: the web widget shows buttons and markdown; a phone shows
neither. On SMS and WhatsApp a button list becomes numbered choices inside the same
message ("Reply 1 for Yes, 2 for No") and a reply of "1", "2" or the choice's words
is mapped back to the button's payload (`resolve_choice`). On Messenger buttons
become quick replies (at most 13, titles of at most 20 characters).

SMS length: a message is billed and delivered in segments. GSM-7 text fits 160
characters in one segment, 153 per segment once split; a single character outside
GSM-7 (an emoji, a curly quote) turns the whole message into UCS-2: 70, then 67 per
segment. So typographic quotes and dashes are made plain first, and a reply is cut
into messages of at most 3 segments at sentence boundaries (a sentence longer than
that at spaces), never inside a word.

Every function here is pure: it takes Rasa's message dictionaries
(`{"text": ..., "buttons": [...], "safety": ...}`) and returns strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each (escape + character)
GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67
MAX_SEGMENTS = 3
TWILIO_MAX_BODY = 1600
MESSENGER_MAX_TEXT = 2000
MESSENGER_MAX_QUICK_REPLIES = 13
MESSENGER_MAX_TITLE = 20
MESSENGER_MAX_PAYLOAD = 1000
INLINE_CHOICES_MAX = 3

# Characters outside GSM-7 that have a plain equivalent: keeping a reply in GSM-7 more
# than doubles what fits in a segment.
_PLAIN_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2022": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u00b4": "'",
        "`": "'",
    }
)

# Wording meant for the web chat that would be wrong on a text channel: a message that is
# only "cancel" opts the number out of texts (spinecare.messaging.keywords).
TEXT_CHANNEL_WORDING = ((re.compile(r'\btype "cancel"', re.IGNORECASE), 'reply "cancel request"'),)


@dataclass(frozen=True)
class Choice:
    """One button as a text channel offers it: what the person sees and what it sends."""

    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


# --- plain text ---------------------------------------------------------------------

_MARKDOWN = (
    (re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\((\S+?)\)"), r"\1 (\2)"),  # links: "label (url)"
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),  # _em_, not a_b_c
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`{1,3}([^`]*)`{1,3}"), r"\1"),  # code
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE), ""),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # quotes
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE), ""),  # bullets
    (re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # rules
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"), ""),  # HTML tags
)


def plain_text(text: str) -> str:
    """`text` without markdown or HTML syntax, typographic characters made plain."""
    text = (text or "").replace("\r\n", "\n")
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    text = text.translate(_PLAIN_EQUIVALENTS)
    for pattern, replacement in TEXT_CHANNEL_WORDING:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- SMS segments -------------------------------------------------------------------


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str) -> tuple[list[int], int, int]:
    """Each character's size in its encoding's units, and the single/multi segment sizes."""
    if is_gsm7(text):
        return [2 if ch in GSM7_EXTENDED else 1 for ch in text], GSM7_SINGLE, GSM7_MULTI
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text], UCS2_SINGLE, UCS2_MULTI


def segment_count(text: str) -> int:
    """How many SMS segments `text` takes (escape pairs and surrogates never straddle two)."""
    if not text:
        return 0
    sizes, single, multi = _units(text)
    if sum(sizes) <= single:
        return 1
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments += 1
            used = 0
        used += size
    return segments


def _fits(text: str, max_segments: int) -> bool:
    return segment_count(text) <= max_segments and len(text) <= TWILIO_MAX_BODY


# A sentence ends at . ! ? (or a line break) followed by a space and a new sentence.
_SENTENCE_BREAK = re.compile(r"(\n+|(?<=[.!?])[ \t]+(?=[\"'(]?[A-Z0-9]))")


def _pieces(text: str) -> list[tuple[str, str]]:
    """(separator before, sentence) pairs that joined give `text` back."""
    parts = _SENTENCE_BREAK.split(text)
    pieces, separator = [], ""
    for index, part in enumerate(parts):
        if index % 2:
            separator = part
        elif part:
            pieces.append((separator, part))
            separator = ""
    return pieces


def _words(sentence: str) -> list[tuple[str, str]]:
    tokens = re.split(r"(\s+)", sentence)
    words, separator = [], ""
    for index, token in enumerate(tokens):
        if index % 2:
            separator = token
        elif token:
            words.append((separator, token))
            separator = ""
    return words


def _pack(pieces: Iterable[tuple[str, str]], fits) -> list[str]:
    chunks: list[str] = []
    current = ""
    for separator, piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if fits(candidate):
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = piece
    if current:
        chunks.append(current)
    return chunks


def split_message(text: str, fits) -> list[str]:
    """`text` cut into messages that each satisfy `fits`, at sentences, else at spaces.

    A word that alone does not fit (a very long link) is sent whole in its own message
    rather than cut; the provider then splits it into more segments.
    """
    text = text.strip()
    if not text:
        return []
    if fits(text):
        return [text]
    sentences: list[tuple[str, str]] = []
    for separator, sentence in _pieces(text):
        if fits(sentence):
            sentences.append((separator, sentence))
            continue
        words = _pack(_words(sentence), fits)
        sentences.extend(
            (separator if index == 0 else " ", chunk) for index, chunk in enumerate(words)
        )
    return [chunk.strip() for chunk in _pack(sentences, fits)]


def split_sms(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """`text` as SMS bodies of at most `max_segments` segments each (see the module doc)."""
    return split_message(text, lambda candidate: _fits(candidate, max_segments))


# --- choices ------------------------------------------------------------------------


def choices_of(message: Mapping[str, Any]) -> list[Choice]:
    """A message's buttons (or quick replies) as choices; unusable entries are skipped."""
    raw = message.get("buttons") or message.get("quick_replies") or []
    choices = []
    for button in raw:
        if not isinstance(button, Mapping):
            continue
        title = plain_text(str(button.get("title") or "")).replace("\n", " ")
        payload = str(button.get("payload") or "")
        if title and payload:
            choices.append(Choice(title, payload))
    return choices


def turn_choices(messages: Sequence[Mapping[str, Any]]) -> list[Choice]:
    """The choices a turn offers: the last message's with buttons, none in an emergency.

    One list per turn, so that "2" can only mean one thing. A safety message (the
    emergency advice) is never followed by options to pick.
    """
    if any(message.get("safety") for message in messages):
        return []
    for message in reversed(messages):
        choices = choices_of(message)
        if choices:
            return choices
    return []


def numbered_choices(choices: Sequence[Choice]) -> str:
    """ "Reply 1 for Yes, 2 for No." or, for longer lists, one numbered line per choice."""
    if len(choices) <= INLINE_CHOICES_MAX:
        separator = "; " if any("," in choice.title for choice in choices) else ", "
        options = separator.join(
            f"{number} for {choice.title}" for number, choice in enumerate(choices, 1)
        )
        return f"Reply {options}."
    lines = "\n".join(f"{number} {choice.title}" for number, choice in enumerate(choices, 1))
    return f"Reply with a number:\n{lines}"


def _comparable(text: str) -> str:
    text = plain_text(text).lower().translate(str.maketrans("", "", ".,!?;:\"'()#"))
    return re.sub(r"\s+", " ", text).strip()


def resolve_choice(text: str | None, choices: Sequence[Mapping[str, str] | Choice]) -> str | None:
    """The payload a reply picks: "2", "#2", "2." or the choice's own words; else None."""
    if not text or not choices:
        return None
    options = [
        choice if isinstance(choice, Choice) else Choice(choice["title"], choice["payload"])
        for choice in choices
    ]
    match = re.fullmatch(r"\s*(?:#|no\.?\s*|number\s+|option\s+)?(\d{1,2})\s*[.)]?\s*", text, re.I)
    if match:
        number = int(match.group(1))
        return options[number - 1].payload if 1 <= number <= len(options) else None
    wanted = _comparable(text)
    if not wanted:
        return None
    for option in options:
        if wanted in (_comparable(option.title), _comparable(option.payload)):
            return option.payload
    return None


# --- whole turns --------------------------------------------------------------------


@dataclass(frozen=True)
class TextTurn:
    """A turn rendered for SMS/WhatsApp: the message bodies in order, the choices offered."""

    bodies: tuple[str, ...]
    choices: tuple[Choice, ...]


def render_sms_turn(messages: Sequence[Mapping[str, Any]]) -> TextTurn:
    """Every reply of one turn as few SMS bodies as possible, choices numbered in line.

    The turn's messages are joined (one paragraph each) so that a short confirmation and
    the next question travel in one message and arrive in order; the result is cut into
    bodies of at most 3 segments at sentence boundaries.
    """
    choices = turn_choices(messages)
    with_choices = None
    if choices:
        with_choices = max(i for i, message in enumerate(messages) if choices_of(message))
    paragraphs = []
    for index, message in enumerate(messages):
        text = plain_text(str(message.get("text") or ""))
        if index == with_choices:
            text = f"{text}\n{numbered_choices(choices)}" if text else numbered_choices(choices)
        if text:
            paragraphs.append(text)
    bodies = split_sms("\n\n".join(paragraphs))
    return TextTurn(tuple(bodies), tuple(choices))


@dataclass(frozen=True)
class MessengerMessage:
    text: str
    quick_replies: tuple[dict[str, str], ...] = ()


def short_title(title: str, limit: int = MESSENGER_MAX_TITLE) -> str:
    """A quick-reply title within Messenger's limit, cut at a word with an ellipsis."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


def render_messenger_turn(
    messages: Sequence[Mapping[str, Any]],
) -> tuple[list[MessengerMessage], list[Choice]]:
    """One Messenger message per reply (split at sentences past 2,000 characters).

    The turn's choices become quick replies on the last piece of their message; more
    than 13 choices cannot be quick replies, so they are numbered in the text instead.
    """
    choices = turn_choices(messages)
    with_choices = None
    if choices:
        with_choices = max(i for i, message in enumerate(messages) if choices_of(message))
    out: list[MessengerMessage] = []
    for index, message in enumerate(messages):
        text = plain_text(str(message.get("text") or ""))
        quick: tuple[dict[str, str], ...] = ()
        if index == with_choices:
            if len(choices) <= MESSENGER_MAX_QUICK_REPLIES:
                quick = tuple(
                    {
                        "content_type": "text",
                        "title": short_title(choice.title),
                        "payload": choice.payload[:MESSENGER_MAX_PAYLOAD],
                    }
                    for choice in choices
                )
            else:
                text = f"{text}\n{numbered_choices(choices)}".strip()
        pieces = split_message(text, lambda candidate: len(candidate) <= MESSENGER_MAX_TEXT)
        if not pieces and quick:
            pieces = ["Please choose:"]
        for number, piece in enumerate(pieces, 1):
            out.append(MessengerMessage(piece, quick if number == len(pieces) else ()))
    return out, choices
