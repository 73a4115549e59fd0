"""Opening hours: open now, the next opening, and how it is said to a patient."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from spinecare.handoff.hours import OpeningHours, when_text

NY = ZoneInfo("America/New_York")
HOURS = OpeningHours.parse("mon-fri 08:00-18:00", "America/New_York")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the week of Monday 2026-11-23, New York time."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=NY)


def test_open_during_weekday_hours_only():
    assert HOURS.is_open(at(0, 8))
    assert HOURS.is_open(at(4, 17, 59))
    assert not HOURS.is_open(at(4, 18))
    assert not HOURS.is_open(at(5, 10))
    assert not HOURS.is_open(at(2, 7, 59))


def test_next_opening_after_hours_and_on_the_weekend():
    assert HOURS.next_opening(at(2, 20)) == at(3, 8)
    assert HOURS.next_opening(at(4, 19)) == at(7, 8)
    assert HOURS.next_opening(at(2, 6)) == at(2, 8)
    assert when_text(at(7, 8), at(4, 19), NY) == "on Monday at 8:00 AM"
    assert when_text(at(3, 8), at(2, 20), NY) == "tomorrow at 8:00 AM"
    assert when_text(at(2, 8), at(2, 6), NY) == "today at 8:00 AM"


def test_time_zone_of_the_caller_does_not_matter():
    utc_evening = datetime(2026, 11, 25, 22, 30, tzinfo=ZoneInfo("UTC"))  # 17:30 in New York
    assert HOURS.is_open(utc_evening)


def test_description_for_patients():
    assert HOURS.describe() == "Monday to Friday, 8:00 AM to 6:00 PM (America/New_York time)"
    weekend = OpeningHours.parse("sat,sun 10:00-14:00", "America/Chicago")
    assert weekend.describe() == "Saturday, Sunday, 10:00 AM to 2:00 PM (America/Chicago time)"


@pytest.mark.parametrize("spec", ["", "mon-fri", "mon-fri 18:00-08:00", "funday 08:00-10:00"])
def test_malformed_specs_are_refused(spec):
    with pytest.raises(ValueError):
        OpeningHours.parse(spec, "America/New_York")
