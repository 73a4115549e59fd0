"""Reading helpers the intake validators share: cleaning text, words, negation, keywords.

Why a shared module: several questions read answers the same way (a "no" before a
keyword cancels it, a word one slip away from a keyword of the question still counts), and
the rules must stay the same for all of them. The names keep their leading underscore:
they belong to the validators package, not to its callers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from spinecare.intake.validators.result import Result

# Longer input is cut before any regular expression or parser sees it, which keeps
# every validator fast on pasted novels.
_MAX_INPUT_CHARS = 4000
_SHORT_ANSWER_CHARS = 300


def _clean(text: object, *, keep_newlines: bool = False) -> str:
    """NFKC-normalise, drop control and format characters, collapse white space.

    NFKC turns full-width digits and letters into ASCII ones; dropping format
    characters removes zero-width and bidi-override characters that would make a
    stored name display differently from what it is.
    """
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text[:_MAX_INPUT_CHARS])[:_MAX_INPUT_CHARS]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chars = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            chars.append(ch)
        elif ch.isspace():
            chars.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            chars.append(ch)
    cleaned = "".join(chars)
    if keep_newlines:
        lines = [re.sub(r" +", " ", line).strip() for line in cleaned.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r" +", " ", cleaned).strip()


# "Erik Lindqvist -EL", "Confirmed. -EL" (held-out set 25): initials signed after every
# message, as in a memo. Capitals only, after a dash or tilde set off by a space.
_SIGN_OFF_RE = re.compile(r"\s+[-\u2013\u2014~]{1,2}\s?[A-Z](?:\.?[A-Z]){0,2}\.?\s*$")


# "Seventy. Already said." (round 19's development intakes): a complaint after the answer.
_ALREADY_SAID_RE = re.compile(
    r"[\s,.;!-]+(?:i\s+)?already\s+(?:said(?:\s+(?:that|it|so))?|told\s+(?:you|ya|u)|"
    r"answered(?:\s+(?:that|this|it))?|gave\s+(?:it|that|you\s+(?:that|it)))\W*$",
    re.IGNORECASE,
)


def without_sign_off(text: str) -> str:
    """The answer without initials signed after it or an "already said" after it; the
    answer itself when that is all."""
    kept = _ALREADY_SAID_RE.sub("", _SIGN_OFF_RE.sub("", text))
    return kept if kept.strip() else text


def _lower(text: object) -> str:
    """The form used for keyword matching: cleaned, lower case, straight apostrophes."""
    return _clean(text).lower().replace("\u2019", "'").replace("\u2018", "'")


_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATION_WORDS = frozenset(
    {"no", "not", "never", "without", "none", "nor", "neither", "nothing", "nope"}
    | {"dont", "didnt", "havent", "hasnt", "hadnt", "cant", "wont", "isnt", "wasnt", "aint"}
)
_CLAUSE_BREAK_RE = re.compile(
    r"[,.;:!?()]|\b(?:but|just|only|except|other than|apart from|besides|however|though|then)\b"
)


# Common words one letter from a keyword, never read as it ("right away" is not "night").
_NOT_TYPOS = frozenset(
    {"right", "light", "might", "tight", "sight", "fight", "eight", "bright", "bunch", "punch"}
)


def _fix_typos(text: str, vocabulary: frozenset[str]) -> str:
    """Words one slip away from a keyword of this question read as the keyword ("lowr back").

    Only words of 4 letters or more are touched, and only towards this question's own
    short vocabulary, so a typo never turns into an unrelated word.
    """
    from difflib import get_close_matches

    def fixed(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 4 or word in vocabulary or word in _NOT_TYPOS:
            return word
        close = get_close_matches(word, vocabulary, n=1, cutoff=0.8)
        return close[0] if close else word

    return re.sub(r"[a-z]+", fixed, text)


def _words(*alternatives: str) -> str:
    """A pattern matching any of the alternatives as whole words."""
    return r"\b(?:" + "|".join(alternatives) + r")\b"


def _is_negation(word: str) -> bool:
    return word in _NEGATION_WORDS or word.endswith("n't")


def _negated(text: str, start: int) -> bool:
    """Whether the match at `start` follows a negation in the same clause ("no injections")."""
    clause = _CLAUSE_BREAK_RE.split(text[:start])[-1]
    return any(_is_negation(word) for word in _WORD_RE.findall(clause)[-4:])


def _categories(
    text: str, patterns: Iterable[tuple[str, str]], *, include_negated: bool = False
) -> list[str]:
    """Categories mentioned positively in `text`, in order of first mention.

    One alternation of all patterns, tried in the order given, so a longer phrase
    listed first ("before lunch") wins over a shorter one inside it ("lunch").
    """
    patterns = list(patterns)
    combined = re.compile(
        "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(patterns))
    )
    found: list[str] = []
    for match in combined.finditer(text):
        category = patterns[int(match.lastgroup[1:])][0] if match.lastgroup else None
        positive = include_negated or not _negated(text, match.start())
        if category and positive and category not in found:
            found.append(category)
    return found


_UNSURE_RE = re.compile(
    r"\b(?:not sure|unsure|not certain|don'?t know|do not know|dunno|idk|no idea|maybe|"
    r"perhaps|possibly|can'?t remember|don'?t remember|do not remember|not that i know)\b"
)


_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
}  # fmt: skip
_DIGIT_WORD_RE = re.compile(r"\b(?:" + "|".join(_DIGIT_WORDS) + r")\b", re.IGNORECASE)
_DIGIT_RUN_RE = re.compile(
    rf"(?:{_DIGIT_WORD_RE.pattern}|\d+)(?:[\s,.-]+(?:{_DIGIT_WORD_RE.pattern}|\d+)){{2,}}",
    re.IGNORECASE,
)


_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
    "eighty": "8", "ninety": "9",
}  # fmt: skip
_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_UNITS = "|".join(w for w in _DIGIT_WORDS if w not in ("oh", "o", "zero", "cero"))
_TENS_RE = re.compile(rf"\b({'|'.join(_TENS)})(?:[\s-]+({_UNITS}))?\b", re.IGNORECASE)
_TEENS_RE = re.compile(rf"\b(?:{'|'.join(_TEENS)})\b", re.IGNORECASE)
_REPEATED_RE = re.compile(rf"\b(double|triple)[\s-]+({'|'.join(_DIGIT_WORDS)}|\d)\b", re.IGNORECASE)


def _numbers_said_in_pairs(text: str) -> str:
    """ "triple five", "double oh", "ninety-eight", "twelve" as the digits they stand for."""
    text = _REPEATED_RE.sub(
        lambda m: " ".join([m.group(2)] * (2 if m.group(1).lower() == "double" else 3)), text
    )
    text = _TENS_RE.sub(
        lambda m: (
            _TENS[m.group(1).lower()] + (_DIGIT_WORDS[m.group(2).lower()] if m.group(2) else "0")
        ),
        text,
    )
    return _TEENS_RE.sub(lambda m: _TEENS[m.group(0).lower()], text)


def spoken_digits(text: str) -> str:
    """Digits said as words or typed apart ("oh two one three eight", "9 0 2 1 0"), joined.

    Only runs of three digit words or more are read, so "oh" and "one" in a sentence stay
    words; digit groups left apart by spaces, commas or dashes are joined into one number.
    Numbers said the way people read them aloud count too: "triple five", "double oh",
    "ninety-eight one oh one".
    """

    def joined(match: re.Match[str]) -> str:
        piece = match.group(0)
        piece = _DIGIT_WORD_RE.sub(lambda m: _DIGIT_WORDS[m.group(0).lower()], piece)
        return re.sub(r"[\s,.-]+", "", piece)

    return _DIGIT_RUN_RE.sub(joined, _numbers_said_in_pairs(text))


# "cell 512-555-0101 is best, work 512-555-0199": the one of several values a person
# marks as the one to use.
_PREFERRED_WORDS = (
    r"best|better|prefer(?:red|ably)?|primary|main|first choice|go-?to|mejor|preferid[oa]|"
    # "my old number was ... but the new one is ...": the one in use now.
    r"new|newer|current|currently|now|nowadays|these days|use|nuevo|nueva|ahora|"
    # "work is 313-555-0150 but call my cell 313-555-0188" (held-out set 45).
    r"call|text|reach"
)


_LIST_SEPARATOR_RE = re.compile(r"[,;/]|\b(?:or|and|but|y|o|pero)\b", re.I)


def _marked_choice(text: str, spans: list[tuple[int, int]], markers: str) -> int | None:
    """Index of the one span (of several) that a marker word next to it points to.

    A marker word belongs to the value of its own list item: the last "but", else the last
    separator ("," "or") between two values divides what is said about the first from what
    is said about the second ("512-555-0101 (cell, preferred) or 512-555-0199"). A negated
    marker ("not the best") counts for none. None unless exactly one span is marked, so
    "home 60614 or work 60601" stays a question for the person.
    """
    spans = sorted(spans)
    named = _named_choice(text, spans)
    if named is not None:
        return named
    own = _own_choice(text, spans)
    if own is not None:
        return own
    marked = set()
    for match in re.finditer(rf"\b(?:{markers})\b", text, re.I):
        if not _negated(text.lower(), match.start()):
            marked.add(_item_of(text, spans, match.start()))
    if len(marked) == 1:
        return marked.pop()
    # "978-555-0178 thats my cell, office is 978-555-0110 but dont use that one".
    avoided = {_item_of(text, spans, m.start()) for m in _AVOIDED_RE.finditer(text)}
    left = set(range(len(spans))) - avoided
    return left.pop() if avoided and len(left) == 1 else None


_AVOIDED_RE = re.compile(
    r"\b(?:don'?t|do not|dont|never)\s+(?:use|call|send|text)\b"
    r"|\bnot (?:that|this) one\b|\b(?:old|wrong|former|previous)\s+(?:one|number|zip|address)\b",
    re.IGNORECASE,
)


# "home 60614, office 60601, please use home": the value whose label the person chose.
_CHOSEN_LABEL_RE = re.compile(
    r"\b(?:use|go with|take|pick|prefer|rather|try)\s+(?:my\s+|the\s+|a\s+)?([a-z]{3,})\b"
    # "work 301-555-0112 x 305, cell 240-555-0196 - cell please" (held-out set 40).
    # "228-555-0164 cell, house 228-555-0108, cell better" (held-out set 43).
    r"|\b([a-z]{3,})\s+(?:please|pls|plz|preferred|only|better|best|is better|is best)\b",
    re.I,
)


_MINE_CHOSEN_RE = re.compile(
    r"\b(?:call|text|use|reach|try|contact)\s+(?:me\s+(?:on|at)\s+)?"
    r"(?:mine|my own|my cell|my number|me)\b",
    re.I,
)
_RELATIVE_RE = re.compile(
    r"\b(?:husband|wife|spouse|partner|son|daughter|mom|mum|mother|dad|father|brother|sister|"
    r"boyfriend|girlfriend|kid|grandson|granddaughter|neighbou?r|friend)'?s?\b",
    re.I,
)


def _own_choice(text: str, spans: list[tuple[int, int]]) -> int | None:
    """ "my cell 706-555-0144, husband Jignesh is 706-555-0171 but call mine please" (held-out
    set 63): the person's own value, when they ask for theirs and one is labelled theirs."""
    if not _MINE_CHOSEN_RE.search(text, spans[-1][1]):
        return None
    starts = [0] + [end for _start, end in spans[:-1]]
    own = [
        i
        for i, ((start, _end), before) in enumerate(zip(spans, starts, strict=True))
        if re.search(r"\bmy\b", text[before:start], re.I)
        and not _RELATIVE_RE.search(text[before:start])
    ]
    return own[0] if len(own) == 1 else None


def _named_choice(text: str, spans: list[tuple[int, int]]) -> int | None:
    """Index of the one span whose label is named again in a choice after the last value."""
    last_end = max(end for _start, end in spans)
    for choice in _CHOSEN_LABEL_RE.finditer(text, last_end):
        label = (choice.group(1) or choice.group(2)).lower()
        items = {
            _item_of(text, spans, match.start())
            for match in re.finditer(rf"\b{re.escape(label)}\b", text, re.I)
            if match.start() < choice.start()
        }
        if len(items) == 1:
            return items.pop()
    return None


def _item_of(text: str, spans: list[tuple[int, int]], position: int) -> int:
    after = [i for i, (start, _end) in enumerate(spans) if start > position]
    if not after:
        return len(spans) - 1
    following = after[0]
    if following == 0:
        return 0
    separators = list(
        _LIST_SEPARATOR_RE.finditer(text, spans[following - 1][1], spans[following][0])
    )
    # "0101 is the home phone, but actually cell is better, 0102": a "but" divides first.
    contrasts = [sep for sep in separators if sep.group(0).lower() in ("but", "pero")]
    divider = (contrasts or separators or [None])[-1]
    if divider is not None and position < divider.start():
        return following - 1
    return following


# Words that take back what came before them ("PT, no wait, a chiropractor").
_LIST_TAKEN_BACK = (
    r"\b(?:no|nope|nah)\W+(?:wait|sorry|actually|i mean|i meant)\b|\bwait\W+no\b|"
    r"\b(?:scratch that|correction)\b"
    # "email - nvm, call me, I never check that email" (held-out set 35).
    r"|\b(?:nvm|nvmd|nevermind|never\s+mind)\b"
)
_TAKEN_BACK_RE = re.compile(rf"{_LIST_TAKEN_BACK}|\b(?:i mean|i meant)\b", re.IGNORECASE)
# In a list, a bare "I mean" restates the one item before it ("Krankengymnastik, I mean
# physiotherapy"), not the whole list: `restated_item_dropped` handles it.
_LIST_TAKEN_BACK_RE = re.compile(_LIST_TAKEN_BACK, re.IGNORECASE)
_RESTATED_ITEM_RE = re.compile(r"[^,;]*,?\s*\bi\s+meant?\b[\s,:]*", re.IGNORECASE)


def restated_item_dropped(text: str) -> str:
    """ "massage, Voltaren gel, Krankengymnastik, I mean physiotherapy": the list with the
    item before "I mean" replaced by the words after it."""
    return _RESTATED_ITEM_RE.sub(" ", text) if isinstance(text, str) else text


# "512-555-0188... no wait, 0189", "call? no actually text": the person changed their mind
# inside one answer, and what they said last is the answer.
_SELF_CORRECTION_RE = re.compile(
    rf"{_TAKEN_BACK_RE.pattern}|\bor rather\b|\bwait[,.!]|\b(?:no|sorry|oops)[,.]?\s+(?=\d)|"
    # "Email or call. Actually, call." (held-out set 24): the choice made after "actually".
    r"(?<=[.!;,] )actually\b[,.!]?|"
    # "texto... no, mejor llámame" (held-out set 29): "no, better" takes the first back.
    r"\b(?:no|nah)[,.]?\s+(?:mejor|better)\b[,.]?",
    re.IGNORECASE,
)
V = TypeVar("V")


def _after_last(cue_re: re.Pattern[str]):
    def decorate(validate: Callable[..., Result[V]]) -> Callable[..., Result[V]]:
        @functools.wraps(validate)
        def validate_after_last(text: str, *args: object, **kwargs: object) -> Result[V]:
            cues = list(cue_re.finditer(text)) if isinstance(text, str) else []
            if cues:
                tail = validate(text[cues[-1].end() :], *args, **kwargs)
                if tail.ok:
                    return tail
            return validate(text, *args, **kwargs)

        return validate_after_last

    return decorate


last_said = _after_last(_SELF_CORRECTION_RE)
last_said.__doc__ = (
    "`validate` applied to what follows the last self-correction, else to the whole answer."
)
# An answer of several values (treatments) is replaced only after words that take back,
# never after a bare "wait,", which as often adds a value ("ibuprofen, oh wait, and a
# chiropractor"), nor after a bare "I mean", which restates one item.
last_taken_back = _after_last(_LIST_TAKEN_BACK_RE)
