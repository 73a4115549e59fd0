"""What every intake validator returns: `Valid(value, extra)` or `Invalid(reason)`.

Why a module of its own: the result type is the one thing every validator, the form
checks (`spinecare.intake.checks`) and the callers share; keeping it apart from any
one question's rules lets each of those import it without pulling in the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Valid(Generic[T]):
    """An accepted answer. `extra` carries secondary facts (e.g. the state of a ZIP)."""

    value: T
    extra: Mapping[str, Any] = field(default_factory=dict)

    ok = True


@dataclass(frozen=True)
class Invalid:
    """A rejected answer; `reason` is one or two short sentences to show the patient.

    `first_of_several`: when the answer was refused only because it holds several
    (two numbers, two times), the part of it that gave the first one, so that a patient
    who insists can be taken at their first word instead of asked forever.
    """

    reason: str
    first_of_several: str | None = None

    ok = False


Result = Valid[T] | Invalid
