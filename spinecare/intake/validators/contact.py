"""How to reach the patient: phone, email, ZIP code, contact method and best time.

Why a module of its own: these answers go to the consultants who call back, and three
of them lean on outside libraries (phonenumbers, email-validator, zipcodes), imported
lazily inside each validator so that loading the package stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from spinecare.intake.validators.common import (
    _PREFERRED_WORDS,
    _SELF_CORRECTION_RE,
    _SHORT_ANSWER_CHARS,
    _categories,
    _clean,
    _fix_typos,
    _lower,
    _marked_choice,
    _negated,
    last_said,
    spoken_digits,
)
from spinecare.intake.validators.result import Invalid, Result, Valid
from spinecare.intake.validators.yes_no import parse_yes_no

T = TypeVar("T")


class ZipLocation(NamedTuple):
    zip_code: str
    state: str
    city: str


CONTACT_METHODS = ("call", "text", "email")
BEST_TIMES = ("asap", "morning", "afternoon", "evening")


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


def _or_spoken_digits(validate: Callable[[str], Result[T]], text: str) -> Result[T]:
    """`validate(text)`, tried again with spelled-out digits joined when it fails."""
    result = validate(text)
    if result.ok:
        return result
    cleaned = _clean(text)[:_SHORT_ANSWER_CHARS]
    spoken = spoken_digits(_SPOKEN_DASH_RE.sub(r"\1-", cleaned))
    if spoken == cleaned:
        return result
    retried = validate(spoken)
    return retried if retried.ok else result


# "two one eight dash five five five dash zero one one zero" (round 19's development
# intakes): the dashes of a number said aloud, between its digits.
_DIGIT_WORD = r"(?:\d+|zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN_DASH_RE = re.compile(rf"\b({_DIGIT_WORD})\s+(?:dash|hyphen)\s+(?={_DIGIT_WORD}\b)", re.I)


@last_said
def validate_phone(text: str) -> Result[str]:
    """A US (NANP) phone number in E.164 form, e.g. "+12125550182".

    extra: "national" ("(212) 555-0182") and "extension" (digits or None). A number
    spelled out ("five one two, five five five, oh one two nine") is read too.
    """
    result = _or_spoken_digits(_validate_phone, text)
    if result.ok:
        return _with_corrected_ending(text, result)
    return _retyped_ending(text) or result


# "512-555-0188... no wait, 0189": the last digits said again after a self-correction.
_CORRECTED_ENDING_RE = re.compile(
    r"\W*(?:(?:it'?s|its|is|ends? (?:in|with)|the last (?:\w+ )?digits? (?:is|are))\W+)?"
    # "720-555-0116 no 0161 sorry" (round 20's development intakes): an apology after it.
    r"(\d(?:[\s-]?\d){0,3})\W*(?:(?:sorry|my bad|oops|lol)\W*)?",
    re.IGNORECASE,
)


def _with_corrected_ending(text: str, result: Result[str]) -> Result[str]:
    cues = list(_SELF_CORRECTION_RE.finditer(text))
    endings = (_CORRECTED_ENDING_RE.fullmatch(text[cue.end() :]) for cue in reversed(cues))
    ending = next((match for match in endings if match), None)
    if not ending:
        return result
    return _validate_phone(with_last_digits(result.value, re.sub(r"\D", "", ending.group(1))))


def with_last_digits(phone: str, digits: str) -> str:
    """A stored E.164 US number ("+13365550124") with its last digits replaced ("0142").

    Why: "no wait, 0189" inside an answer and "last 4 is 0142" at a later question both
    fix the end of a number already given.
    """
    national = phone[2:] if phone.startswith("+1") else re.sub(r"\D", "", phone)[-10:]
    return "+1" + national[: 10 - len(digits)] + digits


# "617 555 012... sorry 0128": a number cut short, its last group typed again after a cue.
_CUT_SHORT_RE = re.compile(
    r"^\D*?(\d{3})\W*(\d{3})\W*(\d{1,4})\W*(?:sorry|oops|i mean|no|wait|make that|"
    r"correction)\W+(?:it'?s\s+|its\s+)?(\d{4})\W*$",
    re.IGNORECASE,
)


def _retyped_ending(text: str) -> Result[str] | None:
    match = _CUT_SHORT_RE.match(_clean(text))
    if not match:
        return None
    retyped = _validate_phone(match.group(1) + match.group(2) + match.group(4))
    return retyped if retyped.ok else None


# "area code 206, then 555-0142": the area code said apart from the number.
_AREA_CODE_APART_RE = re.compile(
    r"\barea code\W+(?:is\W+)?\(?(\d{3})\)?\W+(?:(?:and|then|the rest|rest is|number is|"
    r"number|is)\W+)*(\d{3})\W*(?:(?:and|then)\W+)?(\d{4})\b",
    re.IGNORECASE,
)
# "555-0147 area code 415": the area code said after the number.
_AREA_CODE_AFTER_RE = re.compile(
    r"(?<!\d)(\d{3})[\s.-]?(\d{4})(?!\d)\W+(?:(?:and|with|the|my)\W+)*area code\W+(?:is\W+)?"
    r"\(?(\d{3})\)?(?!\d)",
    re.IGNORECASE,
)
# "847 555 O175": the letter O typed for a zero among digits.
_LETTER_O_RE = re.compile(r"(?<=\d)[oO](?=[\doO]*\d)|(?<=[\s(.-])[oO](?=\d{2})")


def _validate_phone(text: str) -> Result[str]:
    import phonenumbers

    s = _AREA_CODE_APART_RE.sub(r"\1-\2-\3", _clean(text)[:_SHORT_ANSWER_CHARS])
    s = _AREA_CODE_AFTER_RE.sub(r"\3-\1-\2", s)
    s = _LETTER_O_RE.sub("0", s)
    if not s:
        return Invalid(_PHONE_ASK)
    try:
        matches = list(
            phonenumbers.PhoneNumberMatcher(s, "US", leniency=phonenumbers.Leniency.POSSIBLE)
        )
        numbers = [match.number for match in matches]
        if not numbers and _PHONE_ONLY_RE.fullmatch(s):
            numbers = [phonenumbers.parse(s, "US")]
    except phonenumbers.NumberParseException:
        numbers = []
    distinct = {(n.country_code, n.national_number) for n in numbers}
    us_numbers = {(code, national) for code, national in distinct if code == 1}
    if len(distinct) > 1 and len(us_numbers) == 1:
        # "+52 899 555 0177 de México, y aquí 956-555-0177" (held-out set 61): a number back
        # home and the one here; only a US number can be called.
        numbers = [n for n in numbers if n.country_code == 1]
        distinct = us_numbers
    if len(distinct) > 1:
        spans = [(match.start, match.end) for match in matches]
        chosen = _marked_choice(s, spans, _PREFERRED_WORDS)
        if chosen is None:
            return Invalid(
                "Please type just one phone number. " + _PHONE_ASK,
                first_of_several=s[matches[0].start : matches[0].end],
            )
        numbers = [numbers[chosen]]
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
_SPACED_AT_RE = re.compile(r"\s*@\s*")
# "rob underscore alvarez at icloud dot com": an address said the way it is read aloud.
_SPOKEN_EMAIL_PARTS = (
    (
        re.compile(r"\s*(?:\(at\)|\[at\]|\bat[\s-](?:sign|symbol)\b|\bat\b|\barroba\b)\s*", re.I),
        "@",
    ),
    # "darnell period okafor at example dot net": voice typing says "period" for a dot.
    (re.compile(r"\s*(?:\(dot\)|\[dot\]|\bdot\b|\bpunto\b|\bperiod\b)\s*", re.I), "."),
    (re.compile(r"\s*\bunderscore\b\s*", re.I), "_"),
    (re.compile(r"\s*\b(?:dash|hyphen)\b\s*", re.I), "-"),
)
# What may come before a spoken address; anything else ("gary peterson at ...") could be
# part of it, so the answer is asked again rather than stored cut short.
_EMAIL_LEAD_IN_RE = re.compile(
    r"^(?:(?:it'?s|it is|its|sure|ok(?:ay)?|yes|yeah)[\s,:-]*)*"
    r"(?:my\s+)?(?:e-?mail(?:\s+address)?(?:\s+is|:|\s+mwen se)?)?[\s,:-]*$",
    re.I,
)


def _spoken_email(text: str) -> str | None:
    """The address in an answer that says it aloud, or None when it does not."""
    joined = _JOIN_REMARK_RE.search(text)
    spoken = r"\bdot\b|\(dot\)|\bpunto\b|\barroba\b|\sat\s+[\w-]+\.(?:com|org|net|edu|gov|us)\b"
    if not joined and not re.search(spoken, text, re.I):
        return None
    s = _SPANISH_EMAIL_LEAD_IN_RE.sub("", text)
    # "harold finch 1942 at example dot com, no spaces": the person said how to join it.
    if joined:
        s = _JOIN_REMARK_RE.sub(" ", s)
        at = re.search(r"\s(?:at[\s-](?:sign|symbol)|at|\(at\)|\[at\]|arroba)\s", s, re.I)
        if at:
            local = _EMAIL_WORDS_BEFORE_AN_ADDRESS_RE.sub("", s[: at.start()])
            for pattern, symbol in _SPOKEN_EMAIL_PARTS[1:]:  # dot, underscore, dash
                local = pattern.sub(symbol, local)
            local = re.sub(r"\b(?:then|and then)\b|[\s,]+", "", local)
            s = local + s[at.start() :]
    for pattern, symbol in _SPOKEN_EMAIL_PARTS:
        s = pattern.sub(symbol, s)
    if s.count("@") != 1:
        return None
    s = _joined_where_said_apart(s)
    match = _EMAIL_CANDIDATE_RE.search(s)
    if not match or not _EMAIL_LEAD_IN_RE.match(s[: match.start()]):
        return None
    return match.group(0)


def _joined_where_said_apart(s: str) -> str:
    """An address's digits and initial joined to the name they were said apart from
    ("tamika dot johnson 404@...", "d whitaker52@..."), whether spoken or typed."""
    s = _DIGITS_SAID_APART_RE.sub(
        lambda m: (
            m.group(0)
            if m.group(1).lower() in _WORDS_BEFORE_AN_ADDRESS
            else m.group(1) + m.group(2)
        ),
        s,
    )
    return _INITIAL_SAID_APART_RE.sub(r"\1", s)


_JOIN_REMARK_RE = re.compile(
    r"[\s,]*\b(?:all (?:one word|together|lower ?case|in one)|one word|lower ?case|"
    # "no space between" (round 19's development intakes).
    r"no spaces?(?: (?:in )?between(?: them)?| or dots)?|todo junto)\b[\s,.]*",
    re.I,
)
# "tamika dot johnson 404 at example dot com" (round 19's development intakes): digits
# said after a word, just before the "at", belong to that word; not to "my email is".
_DIGITS_SAID_APART_RE = re.compile(r"([^\W\d_][\w.'+-]*)\s+(\d+)(?=@)")
# "d whitaker 52 at sign example dot net" (round 20's development intakes): an initial said
# apart from the name it starts.
_INITIAL_SAID_APART_RE = re.compile(r"(?:^|(?<=\s))([^\W\d_])\s+(?=[^\W\d_][\w.'+-]*@)")
_WORDS_BEFORE_AN_ADDRESS = frozenset(
    {"is", "it's", "its", "es", "se", "email", "e-mail", "address", "sure", "ok", "okay"}
    | {"yes", "yeah", "correo", "mwen"}
)
_EMAIL_WORDS_BEFORE_AN_ADDRESS_RE = re.compile(
    r"^\s*(?:(?:it'?s|its|it is|my email is|email is|my email|sure|ok|email mwen se)\b[\s,:-]*)*",
    re.I,
)
_SPANISH_EMAIL_LEAD_IN_RE = re.compile(
    r"^\s*(?:mi )?(?:correo|e-?mail)(?: es| mwen se)?\s*:?\s*", re.I
)
_EMAIL_CANDIDATE_RE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


# "my e male is ...", "imel mwen se ...": the word email as voice typing or Creole spells it.
_VOICE_EMAIL_WORD_RE = re.compile(r"\b(?:e[\s-]male|e mail|im[eè]l)\b", re.IGNORECASE)
# "d r w i l s o n at example dot com": an address spelled letter by letter.
_SPELLED_LETTERS_RE = re.compile(r"(?<!\S)(?:[a-z0-9] ){2,}[a-z0-9](?!\S)", re.IGNORECASE)


@last_said
def validate_email(text: str) -> Result[str]:
    """The normalised address, lower-cased, from "my email is Jon.Doe@Mail.com".

    Deliverability is not checked: it needs DNS, which makes the answer depend on
    the network, and a consultant confirms the address by writing to it anyway.
    """
    from email_validator import EmailNotValidError
    from email_validator import validate_email as check_email

    s = _VOICE_EMAIL_WORD_RE.sub("email", _clean(text)[:_SHORT_ANSWER_CHARS])
    s = _SPELLED_LETTERS_RE.sub(lambda m: m.group(0).replace(" ", ""), s)
    s = _SPACED_AT_RE.sub("@", s)
    if "@" in s:
        s = re.sub(r"\s+\.\s+", ".", s)  # "linh.tran @ example . com"
        # "d carter 88 @ example . net" (round 20's development intakes).
        s = _joined_where_said_apart(s)
    if "@" not in s:
        s = _spoken_email(s) or s
    # Each address typed, with where it first stands in the answer.
    found: dict[str, tuple[int, int]] = {}
    for match in _EMAIL_CANDIDATE_RE.finditer(s):
        # "*luana.dossantos@example.com" (held-out set 37): the star marks a correction.
        address = match.group(0).rstrip(".!?").lstrip("*")
        if address:
            start = match.start() + match.group(0).index(address)
            found.setdefault(address, (start, start + len(address)))
    if not found:
        return Invalid("That doesn't look like an email address. " + _EMAIL_ASK)
    address = _chosen_email(s, found) if len(found) > 1 else next(iter(found))
    if address is None:
        first = min(found, key=lambda typed: found[typed][0])
        return Invalid("Please type just one email address.", first_of_several=first)
    if _LETTER_BEFORE_RE.search(s[: found[address][0]]):
        # "j smith @ example.com": the "j" may belong to the address, or may not.
        return Invalid(
            "I may have missed part of that address. Please type it again with no spaces. "
            + _EMAIL_ASK
        )
    address = _with_retyped_domain(s, address, found[address][1])
    try:
        checked = check_email(_mistyped_domain_fixed(address), check_deliverability=False)
    except (EmailNotValidError, ValueError, UnicodeError):
        return Invalid("That email address doesn't look right. Please check it. " + _EMAIL_ASK)
    # "Cami.Duchesne@example.com", "JDOE@EXAMPLE.COM": capitals a phone's keyboard or caps
    # lock put there. Mail providers ignore case, and a consultant compares addresses.
    return Valid(checked.normalized.lower())


# A lone letter or digit just before the address, split off by a space.
_LETTER_BEFORE_RE = re.compile(r"(?:^|[\s:,])[a-z0-9]\s+$", re.IGNORECASE)
# "khalid@exmaple.com wait typo, example.com": the part after the @ typed again.
_RETYPED_DOMAIN_RE = re.compile(
    r"^\W*(?:wait|sorry|oops|typo|i mean|i meant|meant|should be|correction|no)\b[\w\s,.'!-]{0,25}?"
    r"(?<![@\w.])([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|us|io|co))\b",
    re.IGNORECASE,
)


def _with_retyped_domain(text: str, address: str, end: int) -> str:
    retyped = _RETYPED_DOMAIN_RE.search(text[end:])
    if not retyped:
        return address
    return address.split("@")[0] + "@" + retyped.group(1)


# "jdoe@example.com oh wait its jdoe22@example.com": the address said after a correction.
_EMAIL_CORRECTION_RE = re.compile(
    r"\b(?:wait|actually|sorry|oops|i mean|i meant|no|not that|scratch that|correction|"
    r"typo|perd[oó]n|mejor dicho)\b",
    re.IGNORECASE,
)


def _chosen_email(text: str, found: dict[str, tuple[int, int]]) -> str | None:
    """The one of several addresses the person corrected to or marked as the one to use."""
    addresses, spans = list(found), list(found.values())
    if _EMAIL_CORRECTION_RE.search(text[spans[-2][1] : spans[-1][0]]):
        return addresses[-1]
    chosen = _marked_choice(text, spans, _PREFERRED_WORDS)
    return None if chosen is None else addresses[chosen]


# Slips of the finger in the part after the "@" that no one means: ".con", "gmial".
_DOMAIN_SLIPS = (
    (re.compile(r"\.(?:con|cmo|ocm|vom|xom|coom|comm|cpm|clm)$", re.I), ".com"),
    (re.compile(r"\.(?:ner|nte|nett)$", re.I), ".net"),
    (re.compile(r"\.(?:ogr|orgg|prg|otg)$", re.I), ".org"),
    (re.compile(r"@(?:gmial|gmai|gmal|gnail|gamil|gmaill|gmali)\.", re.I), "@gmail."),
    (re.compile(r"@(?:yaho|yahooo|yhaoo|yahho)\.", re.I), "@yahoo."),
    (re.compile(r"@(?:hotmial|hotmal|hotmil|hotamil|homtail)\.", re.I), "@hotmail."),
    (re.compile(r"@(?:outlok|outloook|otlook)\.", re.I), "@outlook."),
    (re.compile(r"@(?:iclould|icoud|iclod)\.", re.I), "@icloud."),
)


def _mistyped_domain_fixed(address: str) -> str:
    for slip, meant in _DOMAIN_SLIPS:
        address = slip.sub(meant, address)
    return address


# --- ZIP --------------------------------------------------------------------------

_ZIP_ASK = "Please type your 5-digit US ZIP code, like 10001."
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_SPLIT_ZIP_RE = re.compile(r"(?<!\d)(\d{1,4})[\s.-](\d{1,4})(?!\d)")
# "60614 is home but I work in 60601": where the person lives is the ZIP code asked for.
_HOME_WORDS = _PREFERRED_WORDS + r"|home|live|living|reside|mailing|house|casa|vivo"


def validate_zip(text: str) -> Result[ZipLocation]:
    """A known US ZIP code and the state (and city) it belongs to, from offline data.

    A ZIP code spelled out or spaced ("oh two one three eight", "9 0 2 1 0") is read too.
    """
    if _SPANISH_NOT_RE.search(text if isinstance(text, str) else ""):
        # "el zip es 33010 no 33012" (held-out set 24): Spanish "no" is "not", no self-fix.
        return _or_spoken_digits(_validate_zip, text)
    return _zip_as_last_said(text)


@last_said
def _zip_as_last_said(text: str) -> Result[ZipLocation]:
    return _or_spoken_digits(_validate_zip, text)


_SPANISH_NOT_RE = re.compile(r"\b(?:es|era|son)\s+\d{5}\s*,?\s+no\s+\d{5}\b", re.IGNORECASE)


# The words right before a value that rule it out: "56601 not 56610", "instead of".
_RULED_OUT_VALUE_RE = re.compile(r"\b(?:not|instead of|rather than|no)\s*[:,]?\s*$")


def _validate_zip(text: str) -> Result[ZipLocation]:
    import zipcodes

    s = _clean(text)[:_SHORT_ANSWER_CHARS]
    if sum(ch.isdigit() for ch in s) == 5:
        # "29 920" (held-out set 36, asked four times): five digits with a gap typed in.
        s = _SPLIT_ZIP_RE.sub(r"\1\2", s)
    matches = list(_ZIP_RE.finditer(s))
    found = list(dict.fromkeys(match.group(1) for match in matches))
    if not found:
        suggested = zip_missing_its_zero(s)
        if suggested is not None:
            return Invalid(
                f"A ZIP code has 5 digits. Did you mean {suggested.zip_code} "
                f"({suggested.city}, {suggested.state})? Please answer yes, or type your "
                "5-digit ZIP code."
            )
        if any(ch.isdigit() for ch in s):
            return Invalid("A ZIP code has 5 digits. " + _ZIP_ASK)
        return Invalid(_ZIP_ASK)
    if len(found) > 1:
        # "wait zip is 56601 not 56610": the one ruled out is the typo.
        kept = [m for m in matches if not _RULED_OUT_VALUE_RE.search(s[: m.start()])]
        if len({m.group(1) for m in kept}) == 1:
            found, matches = [kept[0].group(1)], kept
    if len(found) > 1:
        chosen = _marked_choice(s, [match.span() for match in matches], _HOME_WORDS)
        if chosen is None:
            return Invalid("Please type just one ZIP code. " + _ZIP_ASK, first_of_several=found[0])
        found = [matches[chosen].group(1)]
    try:
        matches = zipcodes.matching(found[0])
    except (ValueError, TypeError):
        matches = []
    if not matches:
        return Invalid("I couldn't find that ZIP code. Please check it. " + _ZIP_ASK)
    place = matches[0]
    return Valid(ZipLocation(found[0], place["state"], place.get("city") or ""))


# The ZIP codes of the Northeast and Puerto Rico start with 0, which a spreadsheet or a
# hurried thumb drops ("2740" for New Bedford's 02740, held-out set 49). Military mail
# codes (09xxx) are never guessed: "9021" is far likelier a typo of 90210.
_FOUR_DIGITS_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MILITARY_STATES = frozenset({"AA", "AE", "AP"})


def zip_missing_its_zero(text: str) -> ZipLocation | None:
    """The ZIP code four digits mean with the leading 0 put back, when that one exists.

    Never stored without the patient's yes (`zip_confirmed_with_its_zero`): a 4-digit typo
    of another ZIP code could be a real ZIP code in New England.
    """
    import zipcodes

    s = _clean(text)[:_SHORT_ANSWER_CHARS]
    found = _FOUR_DIGITS_RE.findall(s)
    if len(found) != 1 or sum(ch.isdigit() for ch in s) != 4:
        return None
    candidate = "0" + found[0]
    try:
        places = zipcodes.matching(candidate)
    except (ValueError, TypeError):
        return None
    if not places or places[0]["state"] in _MILITARY_STATES:
        return None
    return ZipLocation(candidate, places[0]["state"], places[0].get("city") or "")


def zip_confirmed_with_its_zero(asked_about: str, answer: str) -> ZipLocation | None:
    """The suggested ZIP code, when the answer to "Did you mean 02740?" says yes.

    `asked_about` is the patient's answer before, which the suggestion was made for; typing
    the same four digits again is a yes too (the patient stands by what they typed).
    """
    suggested = zip_missing_its_zero(asked_about)
    if suggested is None:
        return None
    again = zip_missing_its_zero(answer)
    if again is not None and again.zip_code == suggested.zip_code:
        return suggested
    return suggested if parse_yes_no(answer) is True else None


# "Speak" and "talk" choose a call in an answer ("I'd rather talk"), but ask for a person
# or a language as often as they choose ("is there a consultant who can speak Korean?").
_SPEAK_OR_TALK = ("call", r"\bspeak\b|\btalk\b")
_CONTACT_PATTERNS = (
    # "will you leave a message if I don't pick up?" (held-out set 27) asks about a
    # voicemail, a call's; it chooses no text.
    (
        "text",
        r"\btext(?:s|ing|ed)?\b|\bsms\b|\btxt\b|(?<!leave a )(?<!leave me a )(?<!left a )"
        r"(?<!left me a )\bmessages?\b|\bwhats\s?app\b",
    ),
    ("text", r"\bmensajes?\b|\btexto\b|\btext[eé]a(?:me|nos)?\b"),
    ("email", r"\be-?mails?\b|\bemailing\b|\bmail\b|\bcorreo\b|\binbox\b"),
    ("call", r"\bphone\s*calls?\b|\bcall(?:s|ing|ed)?\b|\bring\b|\bvoice\b"),
    _SPEAK_OR_TALK,
    ("call", r"\bllamadas?\b|\bll[aá]m(?:a|e|en|ar)(?:me)?\b|\bbuzz\b|\bholler\b"),
    # Tagalog, Haitian Creole, Polish, Vietnamese.
    ("call", r"\btawag\w*|\brele\b|\bzadzwo\w*|\bdzwo\w*|\bg[oọ]i\b"),
    ("text", r"\bnh[aắ]n tin\b|\bt[eè]ks\b|\bwiadomo\w*"),
    # The choices in the order they are offered (call, text, email): "the second one".
    ("call", r"^(?:the\s+)?first(?:\s+(?:one|option))?(?:\s+please)?[\s.!]*$"),
    ("text", r"^(?:the\s+)?(?:second|middle)(?:\s+(?:one|option))?(?:\s+please)?[\s.!]*$"),
    ("email", r"^(?:the\s+)?(?:third|last)(?:\s+(?:one|option))?(?:\s+please)?[\s.!]*$"),
)
# "Phone" alone, "cell", "teléfono": a call.
_PHONE_PATTERNS = (("call", r"\b(?:tele)?phone\b|\bcell\b|\bmobile\b|\btel[eé]fono\b"),)
_CONTACT_ASK = "How should we contact you: call, text or email?"
_CONTACT_WORDS = frozenset(
    {"text", "texts", "texting", "call", "calls", "calling", "email", "emails", "phone"}
    | {"message", "messages"}
)


def chooses_contact_method(text: str) -> bool:
    """Whether a message names a way to be contacted by a word that only ever chooses one.

    Why: a question at the contact-method question is answered as a question, unless it
    chooses ("can you text me?"); "speak" and "talk" do not count (_SPEAK_OR_TALK).
    """
    s = _VOICE_EMAIL_WORD_RE.sub("email", _lower(text)[:_SHORT_ANSWER_CHARS])
    s = _WHO_OR_IF_CONTACTS_RE.sub(" ", s)
    return bool(_categories(s, tuple(p for p in _CONTACT_PATTERNS if p is not _SPEAK_OR_TALK)))


# "will a woman call me or a man? I prefer a woman if it is a phone call" (round 20's
# development intakes): who calls, and a way named on a condition, choose no way.
_WHO_OR_IF_CONTACTS_RE = re.compile(
    r"\b(?:will|would|does|is|can|could)\s+(?:a|an|the|your|some)\s+(?:woman|man|lady|guy|"
    r"female|male|girl|consultant|doctor|nurse|person|someone|somebody|staff)\b[^.;!?]*"
    r"|\bif\s+(?:it'?s|it is|it was|they|you|someone|somebody)\b[^,.;!?]*"
    # "If I pick text, will the messages say anything medical?" (held-out set 52).
    r"|\bif\s+i\s+(?:pick|choose|chose|say|go with|select|want|prefer)\b[^,.;!?]*"
)


# The words a time of day is said with, without the "any", "now" and "soon" of an asap
# answer, which any sentence may hold.
_TIME_OF_DAY_RE = re.compile(
    r"\b(?:mornings?|afternoons?|evenings?|nights?|asap|noon|lunch|\d{1,2}\s*(?:am|pm)|"
    # "mejor por la tarde" (round 21's development intakes).
    r"(?:en|por) la (?:ma[ñn]ana|tarde|noche)|por las (?:ma[ñn]anas|tardes|noches))\b",
    re.I,
)


def names_a_time_of_day(text: str) -> bool:
    """ "actually mornings im at work, do evening": a message that names a time to call.

    Why: a correction of the best time after the question has passed is recognised by
    these words alone; `validate_best_time` then reads which time it arrives at.
    """
    return bool(_TIME_OF_DAY_RE.search(text or ""))


def _preferred_marks(pattern: str) -> tuple[str, ...]:
    return (
        # "text probably better when I'm on the road" (round 19's development intakes).
        rf"(?:{pattern})\s+(?:is\s+|would be\s+|'?s\s+)?"
        r"(?:(?:probably|prob|definitely|much|way|usually|generally|def)\s+)?"
        r"(?:first|preferably|preferred|best|better|easiest|easier|ideal|mejor|"
        r"faster|quicker|fastest|quickest)\b",
        # "llamada o texto, mejor texto" (round 22's development intakes).
        r"\b(?:prefer|preferably|rather|prob|probably|mostly|ideally|usually|mejor|prefiero)\s+"
        rf"(?:a\s+|to\s+|you\s+|by\s+)?(?:{pattern})",
    )


# "Call the house phone, but text is ok if nobody answers" (round 19's development
# intakes): a way that is fine only if the first one fails is the fallback, not the choice.
_FALLBACK = r"(?!\s+(?:if|when|whenever|in case|unless|as (?:a )?back-?up)\b)"


def _settled_marks(pattern: str) -> tuple[str, ...]:
    return (
        rf"(?<!\bor )(?<!\band )(?<!/)(?:{pattern})\s+(?:is|'?s|would be)\s+"
        rf"(?:fine|good|great|ok|okay|perfect)\b{_FALLBACK}",
        rf"(?<!\bor )(?<!\band )(?<!/)(?:{pattern})\s+works\b{_FALLBACK}",
        # "Email or text, either one. Text na lang." (held-out set 43): Tagalog "just".
        rf"(?:{pattern})\s+na\s+lang\b",
        # "call or text either one, text I guess" (round 20's development intakes).
        rf"(?<!\bor )(?<!\band )(?<!/)(?:{pattern})\s+i\s+(?:guess|suppose)\b",
    )


@last_said
def validate_contact_method(text: str) -> Result[str]:
    """One of call, text or email. "Phone" alone means a call."""
    s = _fix_typos(_lower(text)[:_SHORT_ANSWER_CHARS], _CONTACT_WORDS)
    s = _WHO_OR_IF_CONTACTS_RE.sub(" ", _VOICE_EMAIL_WORD_RE.sub("email", s))
    found = _categories(s, _CONTACT_PATTERNS)
    if not found and _categories(s, _PHONE_PATTERNS):
        found = ["call"]
    if len(found) > 1:
        # "text or call is fine, text first": the one marked as preferred; else the one
        # the answer settles on ("email or text... text is fine", held-out set 35, but in
        # "call or text is fine" either will do); else the first.
        for marks in (_preferred_marks, _settled_marks):
            for category, pattern in _CONTACT_PATTERNS:
                if category in found and any(re.search(m, s) for m in marks(pattern)):
                    return Valid(category)
        return Valid(found[0])
    if found:
        return Valid(found[0])
    if _NO_PREFERENCE_RE.search(s):
        # "Whatever is easiest for y'all" (held-out set 50): the consultants' own way, a
        # call; the summary shows it and the patient can change it there.
        return Valid("call")
    return Invalid(_CONTACT_ASK)


_NO_PREFERENCE_RE = re.compile(
    r"\b(?:whatever|whichever|either|any (?:way|of (?:them|those|these))|no preference|"
    r"(?:does|do)\s*n'?o?t matter|dont matter|doesnt matter|up to (?:you|y'?all|yall|u)|"
    r"(?:you|y'?all|yall|u) (?:pick|choose|decide)|your (?:call|choice)|"
    r"easiest for (?:you|y'?all|yall|u)|lo que sea|como sea|cualquier\w*|me da igual)\b"
)


_TIME_PATTERNS = (
    # "morning after school drop-off": after the school run is still the morning.
    ("morning", r"\bafter (?:the )?(?:school |daycare |kids'? )?(?:drop[\s-]?offs?|school run)\b"),
    ("morning", r"\bbefore (?:noon|lunch|work|midday)\b|\bmornin\w*|\bbreakfast\b"),
    ("morning", r"\bearly\b(?!\s+(?:in the\s+)?(?:afternoon|evening|night))"),
    ("morning", r"\b(?:in the|first thing)\s+a\.?m\b\.?"),
    ("evening", r"\bafter (?:work|dinner)\b|\bevenings?\b|\beve\b|\bnights?\b|\btonight\b"),
    # "after dark, I'm out in the shop days" (held-out set 41).
    ("evening", r"\bafter dark\b|\bonce it'?s dark\b"),
    ("evening", r"\b(?:in|to) bed\b|\bbed ?time\b|\bafter supper\b|\b(?:dinner|supper) ?time\b"),
    ("evening", r"\b(?:get|gets|got|i'?m|am|once i'?m)\s+home from work\b"),
    ("afternoon", r"\bafter (?:lunch|noon|school)\b|\bafternoons?\b|\bnoon\b|\bmid-?day\b"),
    ("afternoon", r"\blunch\w*\b|\bin the\s+p\.?m\b\.?"),
    ("asap", r"\basap\b|\bas soon as (?:possible|you can)\b|\bright away\b|\bany ?time\b"),
    # "rn if possible" (round 20's development intakes): texting's "right now".
    ("asap", r"\bwhenever\b|\bnow\b|\brn\b|\bsoon\b|\btoday\b|\bimmediately\b"),
    # "dont matter" (round 19's development intakes): like "any time", the earliest is fine.
    ("asap", r"\b(?:does|do)\s*(?:n'?t|not)\s+matter\b|\b(?:dont|doesnt) matter\b"),
    ("asap", r"\bno preference\b|\bany\b|\beither\b"),
    # Spanish: "en la tarde", "por la mañana temprano", "lo antes posible".
    ("morning", r"\bma[ñn]anas?\b|\btemprano\b(?!\s+(?:en|por)\s+la\s+(?:tarde|noche))"),
    ("afternoon", r"\btardes?\b|\bmediod[ií]a\b"),
    ("evening", r"\bnoches?\b"),
    # Portuguese: "de noite" (held-out set 37), "de manhã", "à tarde".
    ("evening", r"\bnoites?\b"),
    ("morning", r"\bmanh[ãa]s?\b"),
    ("asap", r"\bcuanto antes\b|\blo antes poss?ible\b|\bcuando sea\b|\bcualquier hora\b"),
    ("asap", r"\blo m[aá]s pronto posible\b|\bpronto\b"),
    ("asap", r"\bearliest\b|\bsooner the better\b|\bfirst chance\b"),
    # Tagalog, Haitian Creole, Polish, Hindi, Vietnamese.
    ("morning", r"\bumaga\b|\bmaten\b|\brano\b|\bsubah\b|\bbu[oổ]i s[aá]ng\b|\bs[aá]ng\b"),
    ("afternoon", r"\bhapon\b|\bapre ?midi\b|\bpo po[lł]udniu\b|\bdopahar\b|\bchi[eề]u\b"),
    ("evening", r"\bgabi\b|\basw[eè]\b|\bwiecz\w*|\bshaam\b|\bt[oố]i\b"),
    # French: "le matin avant 10h" (round 18's development intakes), "l'après-midi", "le soir".
    ("morning", r"\bmatin(?:s|[ée]e)?\b"),
    ("afternoon", r"\bapr[eè]s[\s-]midi\b"),
    ("evening", r"\bsoir(?:s|[ée]e)?\b"),
)
_ANY_TIME = "|".join(pattern for _category, pattern in _TIME_PATTERNS)
_CLOCK_RE = re.compile(
    r"\b(?:(?P<prefix>after|before|around|at|by|about|between|from)\s+)?(?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{2}))?"
    r"\s*(?P<half>a\.?m\.?|p\.?m\.?|o'?clock)?(?![\d:])"
)
_TIME_WORDS = frozenset(
    {"morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night"}
    | {"nights", "tonight", "whenever", "anytime", "lunch", "noon", "soon", "possible"}
)
_CLOCK_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
# "after six", "between ten and noon": an hour written as a word after a clock word.
_CLOCK_NUMBER_WORD_RE = re.compile(
    r"\b(after|before|around|at|by|about|between|from|til|till|until)\s+("
    + "|".join(_CLOCK_NUMBERS)
    + r")\b"
)
_BETWEEN_RE = re.compile(r"\bbetween\s+(\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)\s+(?:and|&)\s+\S+")
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


_FOUR_DIGIT_TIME_RE = re.compile(r"(?<![\d:])([01]\d|2[0-3])([0-5]\d)(?![\d:])")
_FOUR_DIGIT_RANGE_RE = re.compile(
    r"(?<![\d:])([01]\d|2[0-3])([0-5]\d)\s*(?:-|\u2013|to|til|till|until)\s*"
    r"(?:[01]\d|2[0-3])[0-5]\d(?![\d:])"
)


_OFF_WORK_RE = re.compile(
    r"\b(?:off work|after work|get off|get home|home from work|done with work|off shift|"
    # "after 7 when the shop close" (held-out set 53): the working day's end.
    r"(?:the\s+|my\s+)?(?:shop|store|salon|restaurant|office|business|plant)\s+clos\w*)\b"
)
_BARE_LATE_HOUR_RE = re.compile(
    r"\b(after|from|past)\s+([7-9]|1[01])\b(?!\s*(?::|a\.?m|p\.?m|o'?clock in))"
)
# "mornings, i work nights so before 10", "after 4 pm because i am working morning shift":
# when the person works is not when to call.
_WORK_SHIFT_RE = re.compile(
    r"\b(?:i|i'?m|im|i am)?\s*(?:work|works|working|on)\s+(?:the\s+|a\s+)?"
    r"(?:nights?|evenings?|mornings?|days|afternoons?|overnights?)(?:\s+shifts?)?\b"
    r"|\b(?:night|morning|day|evening|afternoon|overnight|graveyard)\s+shifts?\b"
)


_CLOCK_TIME = r"\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.?|p\.m\.?)?"
# "im at the warehouse 6 to 2:30 so after that" (round 21's development intakes).
_AT_WORK = (
    r"\b(?:i\s+|i'?m\s+|im\s+)?(?:work|works|working|on shift|at work|at (?:the|my)\s+[a-z]+)\s+"
)
_HOURS = rf"(?:from\s+)?{_CLOCK_TIME}\s*(?:-|to|til|till|until|through)\s*(?P<end>{_CLOCK_TIME})"
_WORK_HOURS_RE = re.compile(
    rf"{_AT_WORK}(?:(?:nights?|days|evenings?|mornings?|afternoons?|overnights?)\s*,?\s*)?"
    rf"{_HOURS}"
)


_AFTER_WORK_HOURS_RE = re.compile(
    rf"{_AT_WORK}{_HOURS}"
    r"\s*,?\s*(?:so\s+)?(?:(?:call|text|reach me)\s+)?(?:any\s*time\s+|anytime\s+)?"
    r"after\s+(?:that|work|i get off|i'?m off)\b"
)


# "afternoon, i start at 5am" (held-out set 37): when work starts is not when to call.
_WORK_START_RE = re.compile(
    r"\b(?:i\s+|i'?m\s+|im\s+)?(?:start|starts|starting|begin|clock in|go in|get in|leave)"
    rf"(?:\s+(?:work|my shift|for work))?\s+(?:at|by|around)\s+{_CLOCK_TIME}"
)


# "afternoon, i play til 2am lol", "evenings, we start 5am bc of the heat" (round 19's
# development intakes): what the person does at an hour is not when to call, once a time
# of day is named besides it. Being free, home or up at an hour is when to call.
_ASIDE_HOUR_RE = re.compile(
    r"\b(?:i|we|i'?m|im|we'?re|i am|we are)\s+"
    r"(?!(?:free|available|around|home|off|back|done|reachable|awake|up|can|could|would|will|"
    r"prefer|like|want|need|get|gets|am|are|be|usually|should|say|said|mean|guess|think)\b)"
    r"[a-z]+(?:\s+[a-z]+){0,2}?\s+(?:(?:til|till|until|at|from|by|around|about|past)\s+)?"
    r"\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?"
)


# "aftr 3" (round 20's development intakes): "after" with a letter dropped.
_AFTER_SHORTENED_RE = re.compile(r"\b(?:aftr|afer|atfer|afta|aftet)\b")
_CLOSING_HOUR_RE = re.compile(
    r"\b(?:closes?|closing|opens?|opening|lets? out)\s+(?:at\s+|around\s+)?"
    r"\d{1,2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"
)


# "después de las 3", "a las 10 de la mañana": Spanish time words read as English ones.
_SPANISH_CLOCK_WORDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bdespu[eé]s de la(?:s)?\b", "after"),
        (r"\bantes de la(?:s)?\b", "before"),
        # Portuguese: "depois das 17h" (round 22's development intakes), "antes das 9".
        (r"\b(?:depois|ap[oó]s)\s+(?:d?[ao]s?\s+)?(?=\d)", "after "),
        (r"\bantes\s+d[ao]s?\s+(?=\d)", "before "),
        (r"\b(?:como|m[aá]s o menos) a la(?:s)?\b", "around"),
        (r"\ba la(?:s)?\b(?=\s*\d)", "at"),
        (r"(\d)\s+de la ma[ñn]ana\b", r"\1 am"),
        (r"(\d)\s+de la (?:tarde|noche)\b", r"\1 pm"),
        # "trabajo de 2 a 10 de la noche" (held-out set 35): hours at work, as a range.
        (r"\bde\s+(\d{1,2}(?::\d{2})?)\s+a\s+(?=\d)", r"from \1 to "),
        # "no mejor en la noche, en la mañana estoy en el rig": the better one, and the
        # one taken up by work.
        (r"\bno,?\s+(?=mejor\b)", ""),
        (r"\bmejor (?:en |por )?(?:la |las )?(ma[ñn]anas?|tardes?|noches?)\b", r"\1 is better"),
        (r"\b(?:estoy|ando) (?:en el|en la|trabajando|en mi)\s*\w*|\btrabajo\b", "i work"),
    )
)


def _as_24_hour(hour: str, minute: str) -> str:
    """ "0600" as "6:00am": a morning hour on a 24-hour clock is no "6:00" of the evening.

    Why: a bare "6:00" reads as 6 pm (few are called at 6 am), but "0600-0800" (round
    19's development intakes) was written on a 24-hour clock and means the morning.
    """
    return f"{int(hour)}:{minute}" + ("am" if int(hour) < 12 else "")


def _military_times(s: str) -> str:
    """ "0800-1100", "1730 hrs": 24-hour times written as four digits, read as "8:00".

    A range reads as its start, as "1-3" does. Only with a leading zero, "hrs", a range
    or a clock word ("after 1800") around them, so "2026" stays a year.
    """
    s = _FOUR_DIGIT_RANGE_RE.sub(lambda m: "from " + _as_24_hour(m.group(1), m.group(2)), s)

    def as_clock(match: re.Match[str]) -> str:
        before, after = s[: match.start()], s[match.end() :]
        if (
            match.group(1).startswith("0")
            # "1700 or later" (held-out set 64).
            or re.match(
                r"\s*(?:hrs?\b|hours\b|h\b|[-\u2013]|to\b|or later\b|or after\b|on\b)", after
            )
            or re.search(r"\b(?:after|before|around|at|by|about|from|until|til|till)\s*$", before)
        ):
            return _as_24_hour(match.group(1), match.group(2))
        return match.group(0)

    return _FOUR_DIGIT_TIME_RE.sub(as_clock, s)


# "mornings, I'm useless after lunch": the time the person is no good at.
_UNAVAILABLE = (
    r"(?:useless|busy|asleep|sleeping|working|unavailable|not available|no good|dead|out|"
    r"can'?t talk|cannot talk|at work|in class|driving|"
    # "afternoons, I'm in the studio nights" (held-out set 50): somewhere else then.
    r"(?:i'?m|i am|im)\s+(?:in|at|on)\s+(?:the|my)\s+(?!home\b|house\b)\w+)"
)
_REASON = r"(?:because|since|cause|cuz|coz|as)\b"
# "morning, I drive afternoon and night": what the person does at the times named after it.
_BUSY_WITH = r"\bi\s+(?:drive|sleep|teach|babysit|volunteer|watch\s+(?:my\s+|the\s+)?\w+)"
_RULED_OUT = (
    r"(?:bad|no good|not good|terrible|awful|busy|hard|impossible|out|chaos|chaotic|crazy|"
    r"hectic|rough|don'?t work|doesn'?t work|won'?t work|at work|at school|on shift|"
    # "afternoons, mornings I watch my grandson": taken up by something else.
    r"i (?:watch|babysit|drive|work|sleep|teach|volunteer|take care))\b"
)


_HOUR_RANGE_RE = re.compile(
    r"\b(?P<start>\d{1,2})(?P<start_half>\s*[ap]\.?m\b\.?)?\s*(?:-|\u2013|to|til|till|until)\s*"
    r"(?P<end>\d{1,2})(?:\s*(?P<end_half>[ap])\.?m\b\.?|\b)"
)


def _range_start(match: re.Match[str]) -> str:
    """ "1-5pm" as "from 1pm": a range of hours reads as its start, in the end's half of day.

    Why: "Afternoons (1-5pm PT)" (round 19's development intakes) was read as 1 pm and
    5 pm, and 5 pm is the evening. A start above the end crosses noon or midnight
    ("11-1pm" starts at 11 am); an end's half of day kept apart would be read again.
    """
    start, end, half = int(match.group("start")), int(match.group("end")), match.group("end_half")
    if match.group("start_half") or not half:
        return f"from {match.group('start')}{match.group('start_half') or ''} {match.group('end')}"
    if start > end and start != 12:
        half = "a" if half == "p" else "p"
    return f"from {start}{half}m"


# "saturday", "weekends", "any weekday" (round 19's development intakes): days, not a time
# of day; asking again the same way had the patient say "saturday" again.
_DAYS_ONLY_RE = re.compile(
    r"^(?=.*\b(?:mon|tue|wed|thu|fri|sat|sun|week|s[aá]bado|domingo|semana))\W*(?:(?:on|any|only|just|prob(?:ably)?|maybe|either|or|and|&|,|the|a|el|los|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?s?|"
    r"week ?days?|week ?ends?|s[aá]bados?|domingos?|fin de semana|entre semana)\W*)+$",
    re.IGNORECASE,
)
_DAY_ASK = 'Thanks. And what time of day is best: morning, afternoon or evening? Or say "any time".'


_MARKED_BEST_CLOCK_RE = re.compile(
    r"\b(?:best|better|preferably|ideally)\b(?:\s+(?:is|would\s+be|be|time|to\s+call|for\s+me))*"
    r"[\s:,-]+(?=(?:after|around|at|about|from|before|by)?\s*\d)"
)


@last_said
def validate_best_time(text: str) -> Result[str]:
    """One of asap, morning, afternoon or evening; clock times ("after 5pm") are mapped too.

    "Anytime in the morning" is morning: a specific time wins over "any time".
    """
    s = _military_times(_fix_typos(_lower(text)[:_SHORT_ANSWER_CHARS], _TIME_WORDS))
    s = _AFTER_SHORTENED_RE.sub("after", s)
    s = re.sub(r"(\d)ish\b", r"\1", s)  # "1-3ish" (held-out set 44)
    for pattern, replacement in _SPANISH_CLOCK_WORDS:
        s = pattern.sub(replacement, s)
    if _OFF_WORK_RE.search(s):
        # "after 7 when I'm off work": an hour after the working day is in the evening.
        s = _BARE_LATE_HOUR_RE.sub(r"\1 \2 pm", s)
    # "morning, I work 2pm to 10pm" (held-out set 26): the hours at work are when not to
    # call, once a time to call is named besides them.
    # "i work 7 to 3 so after that": the hour work ends.
    s = _AFTER_WORK_HOURS_RE.sub(r"after \g<end>", s)
    without_hours = _WORK_START_RE.sub(" ", _WORK_HOURS_RE.sub(" ", s))
    if without_hours != s and (
        _categories(without_hours, _TIME_PATTERNS)
        or any(_clock_category(match) for match in _CLOCK_RE.finditer(without_hours))
    ):
        s = without_hours
    # "after 7pm, salon closes at 7" (round 20's development intakes): when a business
    # opens or closes is an aside once a time to call is named besides it.
    without_closing = _CLOSING_HOUR_RE.sub(" ", s)
    if without_closing != s and (
        _categories(without_closing, _TIME_PATTERNS)
        or any(_clock_category(match) for match in _CLOCK_RE.finditer(without_closing))
    ):
        s = without_closing
    without_aside = _ASIDE_HOUR_RE.sub(" ", s)
    if any(c != "asap" for c in _categories(without_aside, _TIME_PATTERNS)):
        s = without_aside
    s = _WORK_SHIFT_RE.sub(" ", s)
    # "like 1-3": a range of hours reads as its start.
    s = _CLOCK_NUMBER_WORD_RE.sub(lambda m: f"{m.group(1)} {_CLOCK_NUMBERS[m.group(2)]}", s)
    s = _HOUR_RANGE_RE.sub(_range_start, s)
    # "between ten and noon": a range of times reads as its start, like "1-3".
    s = _BETWEEN_RE.sub(r"from \1", s)
    marked_best = _MARKED_BEST_CLOCK_RE.search(s)
    if marked_best:
        # "I work 12s on a 2-2-3, days. Best after 7pm" (held-out set 61): the time marked best.
        clock = _CLOCK_RE.match(s, marked_best.end())
        if clock and _clock_category(clock):
            return Valid(_clock_category(clock))
    found: list[str] = []
    for match in _CLOCK_RE.finditer(s):
        category = _clock_category(match)
        if category and not _negated(s, match.start()) and category not in found:
            found.append(category)
    s_words = _CLOCK_RE.sub(lambda m: " " if _clock_category(m) else m.group(0), s)
    s_words = re.sub(r"^a\.?m\.?$|\ba\.m\.", " morning ", s_words)
    s_words = re.sub(r"\bp\.?m\b\.?", " afternoon ", s_words)
    said = [c for c in _categories(s_words, _TIME_PATTERNS) if c != "asap"]
    if said and not re.search(r"\d\s*(?:a\.?m|p\.?m)", s):
        # "evening after 7": a clock time without am/pm is read through the words around it.
        found = [c for c in found if c in said]
    for category in _categories(s_words, _TIME_PATTERNS):
        if category not in found:
            found.append(category)
    specific = [category for category in found if category != "asap"]
    if len(specific) > 1:
        # "I work nights so mornings are bad, afternoons are good": not the one ruled out.
        ruled_out = {
            category
            for category, pattern in _TIME_PATTERNS
            # "afternoon because I sleep in the morning": a reason says why the other is out.
            if re.search(rf"(?:{pattern})\s+(?:(?!{_REASON})\w+\s+){{0,2}}{_RULED_OUT}", s_words)
            or re.search(rf"\b{_UNAVAILABLE}\s+(?:\w+\s+){{0,2}}(?:{pattern})", s_words)
            or re.search(
                rf"{_BUSY_WITH}\s+(?:(?:in the|the|at|during)\s+)?"
                rf"(?:(?:{_ANY_TIME})\s*(?:and|&|or|,)\s*)*(?:{pattern})",
                s_words,
            )
        }
        if 0 < len(set(specific) - ruled_out) < len(specific):
            specific = [category for category in specific if category not in ruled_out]
    if len(specific) > 1:
        # "Mornings are best, I have bridge club in the afternoons": the one marked best.
        # "I work nights so afternoons": the one the answer arrives at.
        for category, pattern in _TIME_PATTERNS:
            marked = (
                rf"(?:{pattern})(?:'s\s+|\s+)(?:\w+\s+){{0,2}}"
                r"(?:best|better|preferred|ideal|good|great|fine|easiest|easier|works?)\b"
            )
            # "...ugh that's random. Let's say afternoon" (round 19's development intakes).
            concluded = (
                # "morning I am sleeping after night shift, please afternoon" (held-out
                # set 64, at the summary).
                rf"\b(?:so|then|which means|do|make it|go with|let'?s (?:do|say)|please|pls|plz|"
                rf"i'?(?:ll|d) (?:say|go with)|put (?:me )?down (?:for|as))\s+"
                rf"(?:\w+\s+){{0,2}}(?:{pattern})"
            )
            if category in specific and (
                re.search(marked, s_words) or re.search(concluded, s_words)
            ):
                return Valid(category)
        return Invalid("Please choose one. " + _TIME_ASK, first_of_several=specific[0])
    if specific:
        return Valid(specific[0])
    if found:
        return Valid("asap")
    if _DAYS_ONLY_RE.match(_lower(text)):
        return Invalid(_DAY_ASK)
    return Invalid(_TIME_ASK)


def phone_in_two_parts(first: str, second: str) -> str | None:
    """ "my number is 909", then "555 0143 sorry it sent before i finished" (held-out set 42):
    the digits of an answer cut short and of the one that finishes it, when together they
    make one number."""
    head, tail = (re.sub(r"\D", "", text or "") for text in (first, second))
    if not 3 <= len(head) <= 6 or not tail or len(head) + len(tail) not in (10, 11):
        return None
    joined = validate_phone(head + tail)
    return joined.value if joined.ok else None
