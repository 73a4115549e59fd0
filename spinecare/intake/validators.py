"""Validators for the MRI review intake: the patient's raw text in, a clean value or a reason out.

Why pure functions of text: the same rules must hold in a chat form, in a web form
and in tests, and a validator that touches Rasa, a database or the clock cannot be
checked exhaustively. Dates take `today` as an argument for the same reason.

Every validator returns `Valid(value, extra)` or `Invalid(reason)` and never raises,
whatever the text: a patient who types something odd gets a sentence saying what to
type instead, not a crash. Reasons never repeat what the patient typed, so a caller
that logs a reason does not log personal data.

Texts are read the way people answer a question in chat ("my name is Jon Doe",
"PT and a couple of injections", "about three months ago"), not as form fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Valid(Generic[T]):
    """An accepted answer. `extra` carries secondary facts (e.g. the state of a ZIP)."""

    value: T
    extra: Mapping[str, Any] = field(default_factory=dict)

    ok = True


@dataclass(frozen=True)
class Invalid:
    """A rejected answer; `reason` is one or two short sentences to show the patient."""

    reason: str

    ok = False


Result = Valid[T] | Invalid


class PersonName(NamedTuple):
    first: str
    last: str


class ZipLocation(NamedTuple):
    zip_code: str
    state: str
    city: str


MRI_REGIONS = ("lumbar", "thoracic", "cervical", "other")
TREATMENTS = ("physical_therapy", "medication", "injections", "chiropractic", "surgery", "none")
CONTACT_METHODS = ("call", "text", "email")
BEST_TIMES = ("asap", "morning", "afternoon", "evening")

SYMPTOMS_MIN_CHARS = 3
SYMPTOMS_MAX_CHARS = 1000
NAME_MAX_CHARS = 100
NAME_PART_MAX_CHARS = 50
EARLIEST_MRI_YEAR = 1980

# Longer input is cut before any regular expression or parser sees it, which keeps
# every validator fast on pasted novels.
_MAX_INPUT_CHARS = 4000
_SHORT_ANSWER_CHARS = 300


# --- text helpers -----------------------------------------------------------------


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


def _lower(text: object) -> str:
    """The form used for keyword matching: cleaned, lower case, straight apostrophes."""
    return _clean(text).lower().replace("\u2019", "'").replace("\u2018", "'")


_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATION_WORDS = frozenset(
    {"no", "not", "never", "without", "none", "nor", "neither", "nothing", "nope"}
    | {"dont", "didnt", "havent", "hasnt", "hadnt", "cant", "wont", "isnt", "wasnt", "aint"}
)
_CLAUSE_BREAK_RE = re.compile(
    r"[,.;:!?()]|\b(?:but|just|only|except|other than|apart from|besides|however|though)\b"
)


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


# --- yes / no ---------------------------------------------------------------------

_UNSURE_RE = re.compile(
    r"\b(?:not sure|unsure|not certain|don'?t know|do not know|dunno|idk|no idea|maybe|"
    r"perhaps|possibly|can'?t remember|don'?t remember|do not remember|not that i know)\b"
)
_STRONG_YES = frozenset(
    {"yes", "yeah", "yea", "yep", "yup", "ya", "yah", "yess", "y", "sure", "correct", "right"}
    | {"affirmative", "absolutely", "definitely", "certainly", "ok", "okay", "k", "indeed"}
    | {"true", "aye", "yessir", "agreed", "agree"}
)
_STRONG_NO = frozenset({"no", "nope", "nah", "negative", "n", "nay", "false", "never", "nada"})
_WEAK_YES_RE = re.compile(
    r"\b(?:i am|i'm|im|i do|i did|i have|i've|ive|i had|i got|got one|have one|had one|"
    r"that's right|thats right|uh huh|of course|i think so|for sure|go ahead|please do)\b"
)
_EMPHATIC_NO_RE = re.compile(r"\b(?:definitely|absolutely|certainly|of course|surely)\s+not\b")


def parse_yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the answer is unclear or unsure.

    The first word decides when it is a plain yes/no word ("no, I haven't"); otherwise
    a negation anywhere wins over a weak yes ("I'm not" is a no, "I think so" a yes).
    """
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    thumbs_up, thumbs_down = "\U0001f44d" in s, "\U0001f44e" in s
    if thumbs_up != thumbs_down:
        return thumbs_up
    if not s or _UNSURE_RE.search(s):
        return None
    if _EMPHATIC_NO_RE.search(s):
        return False
    words = _WORD_RE.findall(s)
    if not words:
        return None
    strong_yes = any(word in _STRONG_YES for word in words)
    strong_no = any(word in _STRONG_NO for word in words)
    if words[0] in _STRONG_YES and not strong_no:
        return True
    if words[0] in _STRONG_NO and not strong_yes:
        return False
    negative = strong_no or any(_is_negation(word) for word in words)
    if negative and not strong_yes:
        return False
    if (strong_yes or _WEAK_YES_RE.search(s)) and not negative:
        return True
    return None


def _yes_no_result(text: str, reason: str) -> Result[bool]:
    answer = parse_yes_no(text)
    return Invalid(reason) if answer is None else Valid(answer)


# --- name -------------------------------------------------------------------------

_NAME_LEAD_IN_RE = re.compile(
    r"^(?:(?:hi|hello|hey|sure|ok|okay|yes|yeah|well|so|it's|it is|its)\b[\s,!.:-]*)*"
    r"(?:(?:(?:my )?(?:full |first and last |legal )?name(?:'s| is|:)?|i am|i'm|im|this is|"
    r"call me|they call me|it's|it is)(?=[\s,:-]|$))?[\s,:-]*",
    re.IGNORECASE,
)
_NAME_TRAILER_RE = re.compile(r"(?:[\s,.!]+(?:thanks|thank you|thx|please))?[\s,.!]*$", re.I)
_HONORIFIC_RE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\.?\s+", re.IGNORECASE)
_NAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "del", "della", "des", "du", "la", "le"}
    | {"dos", "das", "st", "st.", "bin", "ibn", "al", "el", "ter", "ten"}
)
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_NAME_ASK = "Please type your first and last name, for example Jane Smith."


def _capitalise_word(word: str, *, particle_ok: bool) -> str:
    if particle_ok and word in _NAME_PARTICLES:
        return word
    if word in _NAME_SUFFIXES:
        return word.upper() if word.rstrip(".") in ("ii", "iii", "iv") else word.capitalize()
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def _split_name(words: list[str]) -> tuple[list[str], list[str]]:
    suffix: list[str] = []
    while len(words) > 2 and words[-1].lower() in _NAME_SUFFIXES:
        suffix.insert(0, words.pop())
    last_start = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i].lower() in _NAME_PARTICLES:
            last_start = i
            break
    return words[:last_start], words[last_start:] + suffix


def validate_name(text: str) -> Result[PersonName]:
    """First and last name from "my name is Jon Doe", "jon doe" or "Doe, Jon".

    Text is kept as typed apart from capitalising an all-lower or all-upper answer:
    a name with angle brackets is stored as text (it is never rendered as HTML), and
    only input that is clearly not a name (digits, an address, mostly symbols) is
    refused.
    """
    s = _clean(text)
    s = _NAME_LEAD_IN_RE.sub("", s, count=1)
    s = _NAME_TRAILER_RE.sub("", s, count=1)
    s = _HONORIFIC_RE.sub("", s, count=1).strip(" ,.")
    if not s:
        return Invalid(_NAME_ASK)
    if len(s) > NAME_MAX_CHARS:
        return Invalid("That is longer than a name. " + _NAME_ASK)
    if any(ch.isdigit() for ch in s):
        return Invalid("A name can't contain numbers. " + _NAME_ASK)
    if "@" in s or re.search(r"https?:|www\.|\.(?:com|org|net)\b", s, re.I):
        return Invalid("That looks like an email or web address. " + _NAME_ASK)
    visible = [ch for ch in s if not ch.isspace()]
    letters = [ch for ch in visible if ch.isalpha()]
    if len(letters) * 2 < len(visible):
        return Invalid("That doesn't look like a name. " + _NAME_ASK)

    if len(s.split()) > 6:
        return Invalid("That looks like more than a name. " + _NAME_ASK)
    if s.count(",") == 1:
        last_part, first_part = (part.strip() for part in s.split(","))
        first_words, last_words = first_part.split(), last_part.split()
    else:
        words = s.replace(",", " ").split()
        first_words, last_words = _split_name(words) if len(words) >= 2 else (words, [])
    if not first_words or not last_words:
        return Invalid("Please type both your first and last name, for example Jane Smith.")

    if s == s.lower() or s == s.upper():
        first_words = [_capitalise_word(w.lower(), particle_ok=False) for w in first_words]
        last_words = [
            _capitalise_word(w.lower(), particle_ok=i < len(last_words) - 1)
            for i, w in enumerate(last_words)
        ]
    first, last = " ".join(first_words), " ".join(last_words)
    if len(first) > NAME_PART_MAX_CHARS or len(last) > NAME_PART_MAX_CHARS:
        return Invalid("That is longer than a name. " + _NAME_ASK)
    if not any(ch.isalpha() for ch in first) or not any(ch.isalpha() for ch in last):
        return Invalid(_NAME_ASK)
    return Valid(PersonName(first, last))


# --- phone ------------------------------------------------------------------------

_PHONE_ASK = "Please type your 10-digit US phone number with area code, like (212) 555-0182."
_PHONE_ONLY_RE = re.compile(r"[\d\s().+\-/]+(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?", re.I)


def _plausible_nanp(national_number: str) -> bool:
    """Ten digits with an area code that can exist: starts 2-9 and is not N11 (911, 411).

    The exchange (the next three digits) is deliberately not checked, and
    phonenumbers' `is_valid_number` is not used: it refuses unassigned area codes and
    most 555 numbers, which people type while trying the assistant out and which
    would then trap them in a loop. A consultant confirms the number by calling it;
    the point here is to catch typos (a missing digit, a leading 1 or 0).
    """
    return (
        len(national_number) == 10
        and national_number[0] in "23456789"
        and national_number[1:3] != "11"
    )


def validate_phone(text: str) -> Result[str]:
    """A US (NANP) phone number in E.164 form, e.g. "+12125550182".

    extra: "national" ("(212) 555-0182") and "extension" (digits or None).
    """
    import phonenumbers

    s = _clean(text)[:_SHORT_ANSWER_CHARS]
    if not s:
        return Invalid(_PHONE_ASK)
    try:
        numbers = [
            match.number
            for match in phonenumbers.PhoneNumberMatcher(
                s, "US", leniency=phonenumbers.Leniency.POSSIBLE
            )
        ]
        if not numbers and _PHONE_ONLY_RE.fullmatch(s):
            numbers = [phonenumbers.parse(s, "US")]
    except phonenumbers.NumberParseException:
        numbers = []
    distinct = {(n.country_code, n.national_number) for n in numbers}
    if len(distinct) > 1:
        return Invalid("Please type just one phone number. " + _PHONE_ASK)
    if not numbers:
        digits = re.sub(r"\D", "", s)
        if len(digits) == 7:
            return Invalid("Please include your area code. " + _PHONE_ASK)
        if digits:
            return Invalid("That number doesn't have the right number of digits. " + _PHONE_ASK)
        return Invalid(_PHONE_ASK)
    number = numbers[0]
    if number.country_code != 1:
        return Invalid("We can only call US phone numbers. " + _PHONE_ASK)
    national = str(number.national_number)
    if len(national) == 7:
        return Invalid("Please include your area code. " + _PHONE_ASK)
    if len(national) != 10:
        return Invalid("That number doesn't have the right number of digits. " + _PHONE_ASK)
    if not phonenumbers.is_possible_number(number) or not _plausible_nanp(national):
        return Invalid("That doesn't look like a US phone number. " + _PHONE_ASK)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    pretty = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    return Valid(e164, {"national": pretty, "extension": number.extension or None})


# --- email ------------------------------------------------------------------------

_EMAIL_ASK = "Please type your email address, like name@example.com."
_EMAIL_CANDIDATE_RE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


def validate_email(text: str) -> Result[str]:
    """The normalised address (domain lower-cased) from "my email is Jon.Doe@Mail.com".

    Deliverability is not checked: it needs DNS, which makes the answer depend on
    the network, and a consultant confirms the address by writing to it anyway.
    """
    from email_validator import EmailNotValidError
    from email_validator import validate_email as check_email

    s = _clean(text)[:_SHORT_ANSWER_CHARS]
    candidates = list(
        dict.fromkeys(c.rstrip(".!?") for c in _EMAIL_CANDIDATE_RE.findall(s) if c.rstrip(".!?"))
    )
    if not candidates:
        return Invalid("That doesn't look like an email address. " + _EMAIL_ASK)
    if len(candidates) > 1:
        return Invalid("Please type just one email address.")
    try:
        checked = check_email(candidates[0], check_deliverability=False)
    except (EmailNotValidError, ValueError, UnicodeError):
        return Invalid("That email address doesn't look right. Please check it. " + _EMAIL_ASK)
    return Valid(checked.normalized)


# --- ZIP --------------------------------------------------------------------------

_ZIP_ASK = "Please type your 5-digit US ZIP code, like 10001."
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")


def validate_zip(text: str) -> Result[ZipLocation]:
    """A known US ZIP code and the state (and city) it belongs to, from offline data."""
    import zipcodes

    s = _clean(text)[:_SHORT_ANSWER_CHARS]
    found = list(dict.fromkeys(_ZIP_RE.findall(s)))
    if not found:
        if any(ch.isdigit() for ch in s):
            return Invalid("A ZIP code has 5 digits. " + _ZIP_ASK)
        return Invalid(_ZIP_ASK)
    if len(found) > 1:
        return Invalid("Please type just one ZIP code. " + _ZIP_ASK)
    try:
        matches = zipcodes.matching(found[0])
    except (ValueError, TypeError):
        matches = []
    if not matches:
        return Invalid("I couldn't find that ZIP code. Please check it. " + _ZIP_ASK)
    place = matches[0]
    return Valid(ZipLocation(found[0], place["state"], place.get("city") or ""))


# --- eligibility yes/no -------------------------------------------------------------

_AGE_RE = re.compile(
    r"(?:\b(?:i'?m|i am|im|age|aged)\s+(\d{1,3})\b)|(?:\b(\d{1,3})\s*(?:years?|yrs?|y/?o)\b)"
    r"|^\D{0,3}(\d{1,3})\D{0,3}$"
)
_OVER_18_RE = re.compile(
    r"\b(?:over|above|older than|more than|at least)\s*(?:the age of\s*)?18\b|\b18\s*\+|"
    r"\b18 or (?:over|older|above)\b"
)
_UNDER_18_RE = re.compile(r"\b(?:under|below|younger than|less than)\s*(?:the age of\s*)?18\b")
_MINOR_RE = re.compile(r"\b(?:minor|underage|under age|teen|teenager)\b")
_ADULT_RE = re.compile(r"\b(?:adult|grown up|grown-up|grownup)\b")


def validate_adult(text: str) -> Result[bool]:
    """Whether the person is 18 or older: "yes", "I'm 45", "over 18", "no, 16".

    A no is a valid answer (value False): the caller explains that the review is for
    adults. Ages are used to decide and then dropped, not returned.
    """
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    for pattern, meaning in ((_OVER_18_RE, True), (_UNDER_18_RE, False)):
        match = pattern.search(s)
        if match:
            return Valid(meaning != _negated(s, match.start()))
    age_match = _AGE_RE.search(s)
    if age_match:
        age = int(next(group for group in age_match.groups() if group))
        if 0 < age <= 120:
            return Valid(age >= 18)
        return Invalid("That age doesn't look right. Are you 18 or older? Please answer yes or no.")
    for pattern, meaning in ((_MINOR_RE, False), (_ADULT_RE, True)):
        match = pattern.search(s)
        if match:
            return Valid(meaning != _negated(s, match.start()))
    return _yes_no_result(s, "Please answer yes or no: are you 18 or older?")


_OTHER_IMAGING_RE = re.compile(r"\b(?:ct|cat scan|ct scan|x-?rays?|ultrasound|bone scan)\b")


def validate_has_mri(text: str) -> Result[bool]:
    """Whether the person has had an MRI. "Only an X-ray" is a no, with extra["other_imaging"]."""
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    mentions_mri = re.search(r"\bmri'?s?\b|\bmagnetic resonance\b", s)
    if _OTHER_IMAGING_RE.search(s) and not mentions_mri:
        return Valid(False, {"other_imaging": True})
    answer = parse_yes_no(s)
    if answer is None and mentions_mri and not _negated(s, mentions_mri.start()):
        answer = None if _UNSURE_RE.search(s) else True
    if answer is None:
        return Invalid("Please answer yes or no: have you had an MRI of your spine?")
    return Valid(answer)


def validate_consent(text: str) -> Result[bool]:
    """Yes or no to the consent text in `spinecare.intake.consent`."""
    return _yes_no_result(
        text, "Please answer yes if you agree to be contacted about this request, or no."
    )


# --- dates ------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
    "several": 4, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
_QUANTITY_RE = re.compile(
    r"\b(?P<num>\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True))
    + r")(?P<half>\s+and\s+a\s+half)?\s*"
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?)\b"
    r"(?P<half2>\s+and\s+a\s+half)?"
)
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}
_MONTH_NAME_RE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b")
_SEASON_RE = re.compile(r"\b(spring|summer|fall|autumn|winter)\b")
_YEAR_RE = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/.-])")


class _Quantity(NamedTuple):
    amount: float
    unit: str


def _quantities(s: str) -> list[_Quantity]:
    found = []
    for match in _QUANTITY_RE.finditer(s):
        raw = match.group("num")
        amount = float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS[raw])
        if match.group("half") or match.group("half2"):
            amount += 0.5
        found.append(_Quantity(amount, _UNIT_NAMES[match.group("unit")[0]]))
    return found


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _latest_month(month: int, today: date, *, strictly_before: bool) -> date:
    """The most recent first-of-`month` not after (or strictly before) this month."""
    candidate = date(today.year, month, 1)
    this_month = _month_start(today)
    if candidate > this_month or (strictly_before and candidate == this_month):
        candidate = date(today.year - 1, month, 1)
    return candidate


def _year_of(s: str, today: date) -> int | None:
    if re.search(r"\byear before last\b", s):
        return today.year - 2
    if re.search(r"\b(?:last year|the year before|previous year)\b", s):
        return today.year - 1
    if re.search(r"\bthis year\b", s):
        return today.year
    match = _YEAR_RE.search(s)
    if match:
        return int(match.group(1))
    match = re.search(r"'(\d{2})\b", s)
    return 2000 + int(match.group(1)) if match else None


def _shift(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    target = _add_months(_month_start(day), months)
    following = _add_months(target, 1)
    return target.replace(day=min(day.day, (following - timedelta(days=1)).day))


def _parse_when(s: str, today: date) -> date | None:
    """The day a phrase points to, or None; the 1st of the month when only a month is known.

    `s` is lower-cased, cleaned text. Days are kept where the phrase gives them
    ("yesterday", "six weeks ago") so that a duration "since Monday" is not counted
    from the start of the month and "tomorrow" is recognised as the future.
    """
    this_month = _month_start(today)

    numeric = re.search(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\b", s)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        year += 2000 if year < 100 else 0
        month = first if first <= 12 else second
        return date(year, month, 1) if 1 <= month <= 12 else None
    numeric = re.search(r"\b(\d{4})\s*[/.-]\s*(\d{1,2})\b", s)
    if numeric:
        year, month = (int(g) for g in numeric.groups())
        return date(year, month, 1) if 1 <= month <= 12 else None
    numeric = re.search(r"\b(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})\b", s)
    if numeric:
        month, year = (int(g) for g in numeric.groups())
        if len(numeric.group(2)) == 2:
            year += 2000
        return date(year, month, 1) if 1 <= month <= 12 else None

    quantities = _quantities(s)
    if quantities and re.search(r"\b(?:ago|back|before now|earlier)\b", s):
        months = sum(q.amount * 12 for q in quantities if q.unit == "year")
        months += sum(q.amount for q in quantities if q.unit == "month")
        days = sum(q.amount * _UNIT_DAYS[q.unit] for q in quantities if q.unit in ("day", "week"))
        return _shift(today, -round(months)) - timedelta(days=round(days))
    if re.search(r"\byesterday\b", s):
        return today - timedelta(days=1)
    if re.search(r"\blast week\b", s):
        return today - timedelta(days=7)
    if re.search(r"\b(?:today|this week|recently|just (?:had|got|did|now))\b", s):
        return today
    if re.search(r"\bthis month\b", s):
        return this_month
    if re.search(r"\blast month\b", s):
        return _add_months(this_month, -1)

    month_names = [m for m in _MONTH_NAME_RE.findall(s)]
    if len(set(month_names)) > 1 and "may" in month_names:
        month_names = [m for m in month_names if m != "may"]
    months = {_MONTHS[name] for name in month_names}
    if len(months) > 1:
        return None
    year = _year_of(s, today)
    if months:
        month = months.pop()
        if year is not None:
            return date(year, month, 1)
        if re.search(r"\bnext\b", s):
            return _add_months(_latest_month(month, today, strictly_before=False), 12)
        strictly_before = bool(re.search(r"\b(?:last|past|previous)\b", s))
        return _latest_month(month, today, strictly_before=strictly_before)

    season = _SEASON_RE.search(s)
    if season:
        month = _SEASONS[season.group(1)]
        if year is not None:
            return date(year, month, 1)
        strictly_before = bool(re.search(r"\b(?:last|past|previous)\b", s))
        return _latest_month(month, today, strictly_before=strictly_before)

    if year is not None:
        month = 7
        if re.search(r"\b(?:early|beginning of|start of)\b", s):
            month = 2
        elif re.search(r"\b(?:late|end of)\b", s):
            month = 11
        elif re.search(r"\b(?:mid|middle of)\b", s):
            month = 6
        result = date(year, month, 1)
        return min(result, this_month) if year == today.year else result

    return _dateparser_month(s, today)


def _dateparser_month(s: str, today: date) -> date | None:
    """Last resort for phrasings the rules above do not know; never for bare numbers."""
    if not re.search(r"[a-z]{3,}", s) or len(s) > 100:
        return None
    import dateparser

    try:
        parsed = dateparser.parse(
            s,
            languages=["en"],
            settings={
                "RELATIVE_BASE": datetime(today.year, today.month, today.day),
                "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "first",
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed else None


_DATE_ASK = 'When was the MRI taken? A month and year is enough, like "last March" or "03/2025".'
_MORE_THAN_RE = re.compile(r"\b(?:over|more than|longer than|at least)\b")


def validate_mri_date(text: str, today: date | None = None) -> Result[date]:
    """The month the MRI was taken (first day of that month).

    extra["older_than_two_years"] flags scans the consultant may ask to repeat; the
    practice asks for an MRI from the last one to two years, and a consultant
    confirms eligibility, so an older scan is accepted, not refused. "More than two
    years ago" is placed a month earlier so that it counts as older.
    """
    today = today or date.today()
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    s = re.sub(r"[,!?]", " ", s).strip()
    if not s:
        return Invalid(_DATE_ASK)
    try:
        when = _parse_when(s, today)
    except (ValueError, OverflowError):
        when = None
    if when is None:
        return Invalid("I didn't catch the date. " + _DATE_ASK)
    if when > today:
        return Invalid("That date is in the future. " + _DATE_ASK)
    month = _month_start(when)
    if _MORE_THAN_RE.search(s) and re.search(r"\bago\b", s):
        month = _add_months(month, -1)
    this_month = _month_start(today)
    if month > this_month:
        return Invalid("That date is in the future. " + _DATE_ASK)
    if month.year < EARLIEST_MRI_YEAR:
        return Invalid("That date looks too far back. " + _DATE_ASK)
    older = month < _add_months(this_month, -24)
    return Valid(month, {"older_than_two_years": older})


# --- MRI region -------------------------------------------------------------------

_REGION_PATTERNS = (
    ("other", _words(r"(?:whole|entire|full|all of (?:my|the)) (?:spine|back)")),
    ("lumbar", _words("lumbo-?sacral", "lumbar", "lower (?:back|spine)", "low back", "l-?spine")),
    ("lumbar", _words(r"l[1-5](?:\s*-\s*(?:l[1-5]|s1))?", "s1", "sacr(?:um|al)")),
    ("lumbar", "^(?:the )?low(?:er)?$"),
    ("thoracic", _words("thoracic", r"mid(?:dle)?[\s-]?back", "upper back", "t-?spine")),
    ("thoracic", _words("t(?:[1-9]|1[0-2])", "between (?:my |the )?shoulder ?blades")),
    ("thoracic", "^(?:the )?mid(?:dle)?$"),
    ("cervical", _words("cervical", "neck", "c-?spine", r"c[1-7](?:\s*-\s*c[1-7])?")),
    ("other", _words("other", "something else", "somewhere else", "elsewhere")),
    ("other", _words("none of (?:those|these)", "hips?", "knees?", "shoulders?", "brain")),
    ("other", _words("head", "pelvis", "tailbone")),
)
_REGION_ASK = "Which area was the MRI of: lower back, mid back, neck, or somewhere else?"


def validate_mri_region(text: str) -> Result[str]:
    """One of lumbar, thoracic, cervical or other, from everyday words ("lower back", "neck")."""
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    found = _categories(s, _REGION_PATTERNS)
    spinal = [region for region in found if region != "other"]
    if len(spinal) > 1:
        return Invalid("Please choose the one area the MRI mainly covered. " + _REGION_ASK)
    if spinal:
        return Valid(spinal[0])
    if found:
        return Valid("other")
    return Invalid(_REGION_ASK)


# --- symptoms, duration, treatments -------------------------------------------------


def validate_symptoms(text: str) -> Result[str]:
    """Free text about the pain, stored as typed (cleaned), 3 to 1000 characters."""
    s = _clean(text, keep_newlines=True)
    if len(s) > SYMPTOMS_MAX_CHARS:
        return Invalid(
            f"That's a bit long. Please describe your symptoms in under {SYMPTOMS_MAX_CHARS} "
            "characters."
        )
    if len(s) < SYMPTOMS_MIN_CHARS or not any(ch.isalpha() for ch in s):
        return Invalid(
            "Please describe your symptoms in a few words, for example where the pain is "
            "and what makes it worse."
        )
    return Valid(s)


_DURATION_LEAD_INS = tuple(
    re.compile(pattern)
    for pattern in (
        r"^(?:well|um+|uh+|hmm+|so|oh|i'd say|i would say|i think|probably)\b[\s,]*",
        r"^(?:it'?s|it has|it is|i'?ve had (?:it|this|them|the pain)|i have had (?:it|this|them|"
        r"the pain)|the pain has|they have|they've)\b\s*",
        r"^(?:been going on|going on|been|lasted)\b\s*",
        r"^for\b\s*",
    )
)


def _strip_lead_ins(phrase: str) -> str:
    previous = None
    while previous != phrase:
        previous = phrase
        for pattern in _DURATION_LEAD_INS:
            phrase = pattern.sub("", phrase, count=1)
    return phrase


def validate_symptom_duration(text: str, today: date | None = None) -> Result[str]:
    """How long the symptoms have lasted: a normalised phrase, plus extra["weeks"].

    Weeks are approximate and None when the phrase has no number ("years", "a long
    time"); "since March" counts from the 1st of March, "since last summer" from July.
    """
    today = today or date.today()
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    phrase = _strip_lead_ins(s).strip(" .,!?;:") or s.strip(" .,!?;:")
    if not phrase or not any(ch.isalnum() for ch in phrase):
        return Invalid(
            'How long have you had these symptoms? For example "2 weeks", "about three months" '
            'or "since last summer".'
        )
    if len(phrase) > 200:
        return Invalid('Please answer in a few words, like "about three months".')
    weeks: int | None = None
    since = re.search(r"\bsince\b(.*)", phrase)
    quantities = _quantities(phrase)
    if since and not re.search(r"\bago\b", phrase):
        try:
            start = _parse_when(since.group(1).strip(), today)
        except (ValueError, OverflowError):
            start = None
        if start is not None and start <= today:
            weeks = (today - start).days // 7
    elif quantities:
        days = sum(q.amount * _UNIT_DAYS[q.unit] for q in quantities)
        weeks = round(days / 7)
    return Valid(phrase, {"weeks": weeks})


_TREATMENT_PATTERNS = (
    ("physical_therapy", _words(r"physical\s*therap\w*", r"physio\w*", "pt", r"rehab\w*")),
    ("physical_therapy", r"\bp\.t\.?"),
    ("injections", _words(r"steroid\s*(?:shots?|injections?)", "epidurals?", "esis?")),
    ("injections", _words(r"nerve\s*blocks?", r"facet\s*(?:joint\s*)?(?:injections?|blocks?)")),
    ("injections", _words("injections?", "injected", "shots?", "cortisone")),
    ("medication", _words("medications?", "meds?", "medicines?", "pills?", "tablets?")),
    ("medication", _words(r"pain\s*(?:killers?|relievers?|meds?|medications?)", "painkillers?")),
    ("medication", _words("ibuprofen", "advil", "motrin", "aleve", "naproxen", "tylenol")),
    ("medication", _words("acetaminophen", "paracetamol", "aspirin", "nsaids?")),
    ("medication", _words(r"anti-?\s?inflammator\w*", "gabapentin", "neurontin", "lyrica")),
    ("medication", _words("pregabalin", r"muscle\s*relaxants?", "flexeril", "cyclobenzaprine")),
    ("medication", _words("tramadol", "opioids?", "oxycodone", "hydrocodone", "percocet")),
    ("medication", _words("vicodin", "prednisone", "medrol", "steroids?", "diclofenac")),
    ("medication", _words("meloxicam", "celebrex", "duloxetine")),
    ("chiropractic", _words(r"chiro\w*", "adjustments?", r"(?:spinal\s*)?manipulation")),
    ("surgery", _words("surger(?:y|ies)", "surgical", "operations?", "operated", r"\w*ectomy")),
    ("surgery", _words("fusion", "decompression", "foraminotomy", r"disc\s*replacement")),
)
_NOTHING_RE = re.compile(
    r"\b(?:nothing|none|no treatments?|not yet|anything|not really|no|nope|nah)\b|^n$"
)
_TREATMENT_ASK = (
    "Which treatments have you tried? You can name several: physical therapy, medication, "
    'injections, chiropractic care, surgery, or say "nothing yet".'
)


def validate_treatments(text: str) -> Result[list[str]]:
    """Treatments tried, as codes from TREATMENTS in a fixed order; several allowed.

    "none" never appears with another code: "nothing but ibuprofen" is medication.
    A treatment mentioned only in the negative ("no surgery") is not counted.
    """
    s = _lower(text)[:_MAX_INPUT_CHARS]
    found = set(_categories(s, _TREATMENT_PATTERNS))
    if found:
        return Valid([code for code in TREATMENTS if code in found])
    only_negated = bool(_categories(s, _TREATMENT_PATTERNS, include_negated=True))
    if only_negated and not re.search(r"\b(?:nothing|none|anything|not yet)\b", s):
        return Invalid("Thanks. " + _TREATMENT_ASK)
    if _NOTHING_RE.search(s):
        return Valid(["none"])
    return Invalid("I didn't recognise a treatment. " + _TREATMENT_ASK)


# --- contact preferences ------------------------------------------------------------

_CONTACT_PATTERNS = (
    ("text", r"\btext(?:s|ing|ed)?\b|\bsms\b|\btxt\b|\bmessages?\b"),
    ("email", r"\be-?mails?\b|\bemailing\b|\bmail\b"),
    ("call", r"\bphone\s*calls?\b|\bcall(?:s|ing|ed)?\b|\bring\b|\bvoice\b|\bspeak\b|\btalk\b"),
)
_CONTACT_ASK = "How should we contact you: call, text or email?"


def validate_contact_method(text: str) -> Result[str]:
    """One of call, text or email. "Phone" alone means a call."""
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    found = _categories(s, _CONTACT_PATTERNS)
    if not found and _categories(s, (("call", r"\b(?:tele)?phone\b|\bcell\b|\bmobile\b"),)):
        found = ["call"]
    if len(found) > 1:
        return Invalid("Please choose one. " + _CONTACT_ASK)
    if found:
        return Valid(found[0])
    return Invalid(_CONTACT_ASK)


_TIME_PATTERNS = (
    ("morning", r"\bbefore (?:noon|lunch|work|midday)\b|\bmornings?\b|\bearly\b|\bbreakfast\b"),
    ("evening", r"\bafter (?:work|dinner|school)\b|\bevenings?\b|\bnights?\b|\btonight\b"),
    ("afternoon", r"\bafter (?:lunch|noon)\b|\bafternoons?\b|\bnoon\b|\bmid-?day\b|\blunch\w*\b"),
    ("asap", r"\basap\b|\bas soon as (?:possible|you can)\b|\bright away\b|\bany ?time\b"),
    ("asap", r"\bwhenever\b|\bnow\b|\bsoon\b|\btoday\b|\bimmediately\b|\bdoesn'?t matter\b"),
    ("asap", r"\bno preference\b|\bany\b|\beither\b"),
)
_CLOCK_RE = re.compile(
    r"\b(?:(?P<prefix>after|before|around|at|by|about)\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?"
    r"\s*(?P<half>a\.?m\.?|p\.?m\.?|o'?clock)?(?![\d:])"
)
_TIME_ASK = (
    "When is the best time to reach you: as soon as possible, morning, afternoon or evening?"
)


def _clock_category(match: re.Match[str]) -> str | None:
    if not (match.group("prefix") or match.group("minute") or match.group("half")):
        return None
    hour = int(match.group("hour"))
    half = (match.group("half") or "").replace(".", "")
    if hour > 23:
        return None
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    elif not half.endswith("m") and 1 <= hour <= 6:
        hour += 12
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


def validate_best_time(text: str) -> Result[str]:
    """One of asap, morning, afternoon or evening; clock times ("after 5pm") are mapped too.

    "Anytime in the morning" is morning: a specific time wins over "any time".
    """
    s = _lower(text)[:_SHORT_ANSWER_CHARS]
    found: list[str] = []
    for match in _CLOCK_RE.finditer(s):
        category = _clock_category(match)
        if category and not _negated(s, match.start()) and category not in found:
            found.append(category)
    s_words = _CLOCK_RE.sub(lambda m: " " if _clock_category(m) else m.group(0), s)
    s_words = re.sub(r"^a\.?m\.?$|\ba\.m\.", " morning ", s_words)
    s_words = re.sub(r"\bp\.?m\b\.?", " afternoon ", s_words)
    for category in _categories(s_words, _TIME_PATTERNS):
        if category not in found:
            found.append(category)
    specific = [category for category in found if category != "asap"]
    if len(specific) > 1:
        return Invalid("Please choose one. " + _TIME_ASK)
    if specific:
        return Valid(specific[0])
    if found:
        return Valid("asap")
    return Invalid(_TIME_ASK)


__all__ = [
    "BEST_TIMES",
    "CONTACT_METHODS",
    "MRI_REGIONS",
    "TREATMENTS",
    "Invalid",
    "PersonName",
    "Result",
    "Valid",
    "ZipLocation",
    "parse_yes_no",
    "validate_adult",
    "validate_best_time",
    "validate_consent",
    "validate_contact_method",
    "validate_email",
    "validate_has_mri",
    "validate_mri_date",
    "validate_mri_region",
    "validate_name",
    "validate_phone",
    "validate_symptom_duration",
    "validate_symptoms",
    "validate_treatments",
    "validate_zip",
]
