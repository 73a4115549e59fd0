"""The action server's settings: the one place the actions read them.

Why one place: the actions are an entry point, and everything below them
(`spinecare.services`, storage, delivery) is handed the settings instead of reading
them. Why read at each use rather than once at import: a changed environment (a
test's, an operator's restart script) takes effect as it always has.
"""

from __future__ import annotations

from spinecare import settings


def current() -> settings.Settings:
    """The settings as the environment gives them now."""
    return settings.load()
