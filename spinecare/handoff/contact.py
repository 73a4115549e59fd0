"""How to reach a person at the practice: its number, its hours and whether it is open now.

Why here and not in an action: the same sentence answers "can I talk to someone?" at
the start of a chat, in the middle of the intake and on every channel.
"""

from __future__ import annotations

from datetime import datetime, timezone

from spinecare.handoff.hours import OpeningHours, when_text
from spinecare.settings import Settings


def opening_hours(conf: Settings) -> OpeningHours:
    return OpeningHours.parse(conf.practice_hours, conf.practice_timezone)


def practice_contact_text(conf: Settings, now: datetime | None = None) -> str:
    """ "You can talk to ... at (555) 010-0100, Monday to Friday ... We're open now." """
    hours, now = opening_hours(conf), now or datetime.now(timezone.utc)
    if hours.is_open(now):
        status = "We're open now."
    else:
        reopens = when_text(hours.next_opening(now), now, hours.zone)
        status = f"We're closed right now; we open again {reopens}."
    return (
        f"You can talk to one of our Spine Care Consultants at {conf.practice_phone}, "
        f"{hours.describe()}. {status}"
    )
