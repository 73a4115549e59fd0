"""Dates and durations: when the MRI was taken and how long the symptoms have lasted.

Why a module of its own: both read the same relative phrases ("about three months ago",
"since last summer", "Christmas 2024") against a `today` passed in, never the clock, and
share the number words, months, seasons and holidays that this needs.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from spinecare.intake.validators.common import (
    _SHORT_ANSWER_CHARS,
    _lower,
    last_said,
)
from spinecare.intake.validators.result import Invalid, Result, Valid

EARLIEST_MRI_YEAR = 1980


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # Spanish: "en marzo", "en mayo de este año".
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # Tagalog, Haitian Creole and Polish names that are not English words.
    "pebrero": 2, "marso": 3, "hunyo": 6, "hulyo": 7, "setyembre": 9, "oktubre": 10,
    "nobyembre": 11, "disyembre": 12,
    "janvye": 1, "fevriye": 2, "avril": 4, "jiyè": 7, "jiye": 7, "septanm": 9, "oktòb": 10,
    "oktob": 10, "novanm": 11, "desanm": 12,
    "styczeń": 1, "stycznia": 1, "styczniu": 1, "luty": 2, "lutego": 2, "lutym": 2,
    "marzec": 3, "marca": 3, "marcu": 3, "kwiecień": 4, "kwietnia": 4, "kwietniu": 4,
    "maja": 5, "maju": 5, "czerwiec": 6, "czerwca": 6, "czerwcu": 6, "lipiec": 7,
    "lipca": 7, "lipcu": 7, "sierpień": 8, "sierpnia": 8, "sierpniu": 8, "wrzesień": 9,
    "września": 9, "wrześniu": 9, "październik": 10, "października": 10,
    "październiku": 10, "listopad": 11, "listopada": 11, "listopadzie": 11, "grudzień": 12,
    "grudnia": 12, "grudniu": 12,
}  # fmt: skip


def _vietnamese_month(match: re.Match[str]) -> str:
    month, year = int(match.group(1)), match.group(2)
    if not 1 <= month <= 12:
        return match.group(0)
    return f" {month}/{year} " if year else f" {calendar.month_name[month].lower()} "


_SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
# Holidays people date things by, as the month they fall in.
_HOLIDAYS = {
    "new year": 1, "new years": 1, "new year's": 1, "valentine": 2, "valentines": 2,
    "valentine's": 2, "st patrick": 3, "st patricks": 3, "easter": 4, "memorial day": 5,
    "mother's day": 5, "mothers day": 5, "father's day": 6, "fathers day": 6,
    "fourth of july": 7, "4th of july": 7, "july 4th": 7, "independence day": 7,
    "labor day": 9, "labour day": 9, "halloween": 10, "thanksgiving": 11, "christmas": 12,
    "xmas": 12, "the holidays": 12, "mardi gras": 2, "carnival": 2, "carnaval": 2,
    "super bowl": 2, "week of the 4th": 7, "weekend of the 4th": 7, "week of the fourth": 7,
    "navidad": 12, "año nuevo": 1, "semana santa": 4, "acción de gracias": 11,
    "accion de gracias": 11, "cinco de mayo": 5,
}  # fmt: skip
_HOLIDAY_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(h) for h in _HOLIDAYS), key=len, reverse=True)) + r")\b"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
    "several": 4, "half a": 0.5, "half an": 0.5, "half": 0.5,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
_QUANTITY_RE = re.compile(
    r"\b(?P<num>\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True))
    + r")(?P<half>\s+and\s+a\s+half)?\s*"
    r"(?P<unit>days?|weeks?|wks?|weks?|months?|mos?|mths?|monts?|mnths?|monhts?|years?|yrs?"
    r"|yeras?|yers?|d[ií]as?|semanas?|mes(?:es)?|a[ñn]os?)\b"
    r"(?P<half2>\s+and\s+a\s+half)?"
)
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year", "s": "week", "a": "year"}
_MONTH_NAME_RE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b")
_SEASON_WORDS = "spring|summer|fall|autumn|winter"
_SEASON_RE = re.compile(rf"\b({_SEASON_WORDS})s?\b")
_SEASONS_AGO_RE = re.compile(
    rf"\b(\d|two|three|four|couple|a couple)\s+(?:of\s+)?(?:{_SEASON_WORDS})s\s+ago\b"
)
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
    # "a couple of months ago, in September": the month named is the one meant.
    named_month = [m for m in _MONTH_NAME_RE.findall(s) if m != "may"]
    if re.search(r"\b(?:the )?(?:end|late|last part) (?:of )?last year\b", s):
        return date(today.year - 1, 12, 1)
    ago = re.search(r"\b(?:ago|back|before now|earlier|hace)\b", s)
    if quantities and ago and not named_month:
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
    # "late september? maybe early october": a guess between months is the first one.
    months = [_MONTHS[name] for name in month_names[:1]]
    # "back around the first of the year": New Year, as a holiday is read.
    s = _TURN_OF_THE_YEAR_RE.sub("new year", s)
    holiday = _HOLIDAY_RE.search(s)
    if not months and holiday:
        month = _HOLIDAYS[holiday.group(1)]
        if month == 1 and re.search(r"\bbefore\b[^.]*\bnew year", s):
            month = 12
        months = [month]
    year = _year_of(s, today)
    if months:
        month = months.pop()
        if year is not None:
            return date(year, month, 1)
        if re.search(r"\bnext\b", s):
            return _add_months(_latest_month(month, today, strictly_before=False), 12)
        # A holiday of this month is still to come early in the month: the last one is meant.
        strictly_before = bool(re.search(r"\b(?:last|past|previous)\b", s)) or bool(
            holiday and not month_names and month == today.month
        )
        return _latest_month(month, today, strictly_before=strictly_before)

    season = _SEASON_RE.search(s)
    if season:
        month = _SEASONS[season.group(1)]
        if year is not None:
            return date(year, month, 1)
        strictly_before = bool(re.search(r"\b(?:last|past|previous)\b", s))
        latest = _latest_month(month, today, strictly_before=strictly_before)
        # "two summers ago": the summer before last.
        seasons_ago = _SEASONS_AGO_RE.search(s)
        if seasons_ago:
            count = seasons_ago.group(1)
            years_back = int(count) if count.isdigit() else int(_NUMBER_WORDS[count])
            return _add_months(latest, -12 * (years_back - 1))
        return latest

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


_TURN_OF_THE_YEAR_RE = re.compile(
    r"\b(?:the\s+)?(?:first|start|beginning|turn)\s+of\s+the\s+year\b"
)


def _dateparser_month(s: str, today: date) -> date | None:
    """Last resort for phrasings the rules above do not know; never for bare numbers."""
    if not re.search(r"[a-z]{3,}", s) or len(s) > 100:
        return None
    import dateparser

    try:
        parsed = dateparser.parse(
            s,
            languages=["en", "es"],
            settings={
                "RELATIVE_BASE": datetime(today.year, today.month, today.day),
                "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "first",
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed else None


# Words around a date that change nothing or say it in other words: "give or take a few
# days", "this year, not last year", "del año pasado", "october twenty twenty five".
_DATE_REWRITES = (
    (re.compile(r"\b(?:give or take|plus or minus)\b[^.;]*|\b(?:more or less|or so)\b"), " "),
    (re.compile(r"\bnot (?:last|this) year\b|\bnot (?:this|that) one\b"), " "),
    (re.compile(r"\b(?:del |el )?a[ñn]o pasado\b"), " last year "),
    (re.compile(r"\beste a[ñn]o\b"), " this year "),
    (re.compile(r"\btego roku\b|\bngayong taon\b|\bane sa\b"), " this year "),
    (re.compile(r"\bpichle mahine\b|\bzesz[lł]ym miesi[aą]cu\b|\bnoong nakaraang buwan\b"),
     " last month "),
    (re.compile(r"\bpichle saal\b|\bzesz[lł]ym roku\b|\bnoong nakaraang taon\b"), " last year "),
    # Vietnamese "tháng 6 năm 2026": month 6 of 2026.
    (re.compile(r"\bth[aá]ng\s*(\d{1,2})(?:\s*(?:n[aă]m|/)\s*(\d{4}))?"),
     _vietnamese_month),
    (re.compile(r"\b(?:twenty|two thousand(?: and)?)[\s-]+twenty[\s-]+"
                r"(one|two|three|four|five|six|seven|eight|nine)\b"),
     lambda m: f" 202{_NUMBER_WORDS[m.group(1)]} "),
    (re.compile(r"\btwenty[\s-]+twenty\b"), " 2020 "),
)  # fmt: skip
# "I don't remember", "no idea": the date is left for the consultant to ask about.
_NOT_KNOWN_RE = re.compile(
    r"\b(?:don'?t|do not|can'?t|cannot|can not|couldn'?t)\s+(?:\w+\s+)?"
    r"(?:know|remember|recall|say)\b"
    r"|\bnot (?:sure|certain)\b|\bno (?:idea|clue)\b|\bidk\b|\bforgot\b|\bunsure\b"
    r"|\bno (?:s[eé]|me acuerdo|recuerdo)\b|\bni idea\b"
)
_DATE_ASK = 'When was the MRI taken? A month and year is enough, like "last March" or "03/2025".'
_MORE_THAN_RE = re.compile(r"\b(?:over|more than|longer than|at least)\b")


# "mud season" (round 20's development intakes): northern New England's spring thaw.
_MUD_SEASON_RE = re.compile(r"\bmud season\b")


@last_said
def validate_mri_date(text: str, today: date | None = None) -> Result[date | None]:
    """The month the MRI was taken (first day of that month), or None when not known.

    A patient who does not remember ("no idea, a while back") is not held at this
    question: the date is optional, and the consultant asks for it on the call.

    extra["older_than_two_years"] flags scans the consultant may ask to repeat; the
    practice asks for an MRI from the last one to two years, and a consultant
    confirms eligibility, so an older scan is accepted, not refused. "More than two
    years ago" is placed a month earlier so that it counts as older.
    """
    today = today or date.today()
    s = _MUD_SEASON_RE.sub("spring", _lower(text)[:_SHORT_ANSWER_CHARS])
    s = re.sub(r"[,!?]", " ", s).strip()
    for pattern, replacement in _DATE_REWRITES:
        s = pattern.sub(replacement, s)
    if not s.strip():
        return Invalid(_DATE_ASK)
    try:
        when = _parse_when(s, today)
        if when is None and _quantities(s):
            # Asked when, "4 months" or "a year or so" means that long ago.
            when = _parse_when(f"{s} ago", today)
    except (ValueError, OverflowError):
        when = None
    if when is None and _NOT_KNOWN_RE.search(s):
        return Valid(None, {"not_known": True})
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
