"""The practice's opening hours: open now, and if not, when the next call can happen.

Why: a patient who asks for a person at 9 pm on a Friday should hear "we'll call
you on Monday at 8:00 AM", not "shortly". Hours are configured as a compact spec
(`SPINECARE_PRACTICE_HOURS="mon-fri 08:00-18:00"`) in the practice's time zone
(`SPINECARE_PRACTICE_TIMEZONE`), and the text shown to patients is derived from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SPEC = re.compile(
    r"^\s*(?P<days>[a-z,\-\s]+?)\s+(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})\s*$"
)


def _clock(value: time) -> str:
    return value.strftime("%I:%M %p").lstrip("0")


@dataclass(frozen=True)
class OpeningHours:
    """Open on `days` (0 is Monday) from `opens` to `closes`, in time zone `zone`."""

    days: frozenset[int]
    opens: time
    closes: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str) -> OpeningHours:
        """Read "mon-fri 08:00-18:00" or "mon,wed,fri 09:00-17:00"; ValueError if malformed."""
        match = SPEC.match(spec.lower())
        if not match:
            raise ValueError(f"opening hours {spec!r}: expected like 'mon-fri 08:00-18:00'")
        days: set[int] = set()
        for part in match["days"].replace(" ", "").split(","):
            first, _, last = part.partition("-")
            if first not in DAYS or (last and last not in DAYS):
                raise ValueError(f"opening hours {spec!r}: unknown day in {part!r}")
            start, end = DAYS.index(first), DAYS.index(last or first)
            days.update(
                range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            )
        opens, closes = (
            time.fromisoformat(match["opens"].zfill(5)),
            time.fromisoformat(match["closes"].zfill(5)),
        )
        if opens >= closes:
            raise ValueError(f"opening hours {spec!r}: opening must be before closing")
        return cls(frozenset(days), opens, closes, ZoneInfo(timezone))

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The next time the practice opens after `now` (`now` itself if open)."""
        local = now.astimezone(self.zone)
        if self.is_open(now):
            return local
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            if day.weekday() not in self.days:
                continue
            opening = datetime.combine(day, self.opens, tzinfo=self.zone)
            if opening > local:
                return opening
        raise ValueError("opening hours have no open day")

    def describe(self) -> str:
        """E.g. "Monday to Friday, 8:00 AM to 6:00 PM (America/New_York time)"."""
        ordered = sorted(self.days)
        if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
            days = f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
        else:
            days = ", ".join(DAY_NAMES[d] for d in ordered)
        return f"{days}, {_clock(self.opens)} to {_clock(self.closes)} ({self.zone.key} time)"


def when_text(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """How a patient would say `moment`: "today at 8:00 AM", "tomorrow at …", "on Monday at …"."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = _clock(local.time())
    days = (local.date() - today).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {DAY_NAMES[local.weekday()]} at {clock}"
