"""The red-flag rule book: reading and checking `red_flag_patterns.yml`.

Why a module of its own: the patterns file is what clinicians review, so what it may
contain (reasons and their severity, rules, combinations, macros, cues, contexts,
spellings, question words) is spelled out and checked here, apart from how the rules
are then matched; a malformed file fails loudly at load time, not in a conversation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EMERGENCY = "emergency"
URGENT = "urgent"
SEVERITIES = (EMERGENCY, URGENT)

PATTERNS_FILE = Path(__file__).parents[1] / "red_flag_patterns.yml"


@dataclass(frozen=True)
class PatternSpec:
    text: str
    numbers: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Rule:
    reason: str
    patterns: tuple[PatternSpec, ...]
    unless: tuple[PatternSpec, ...] = ()
    unless_scope: str = "clause"
    not_followed_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()
    requires_context: tuple[str, ...] = ()
    history_counts: bool = False
    dated_event: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    explanation: str


@dataclass(frozen=True)
class Combination:
    reason: str
    of: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class RuleBook:
    """The parsed contents of a patterns file (see the comments at its top)."""

    reasons: dict[str, Reason]
    rules: tuple[Rule, ...]
    combinations: tuple[Combination, ...]
    macros: dict[str, tuple[str, ...]]
    cues: dict[str, tuple[PatternSpec, ...]]
    contexts: dict[str, tuple[PatternSpec, ...]]
    spellings: dict[str, str]
    lemma_overrides: dict[str, str]
    question: dict[str, frozenset[str]]

    def explanation(self, reason: str) -> str:
        return self.reasons[reason].explanation


CUE_KINDS = (
    "negation",
    "pseudo_negation",
    "post_negation",
    "conditional",
    "hypothetical",
    "modal",
    "question_hypothetical",
    "past",
    "current",
    "resolved",
    "masked",
    "becoming",
    "reassurance",
    "back_reference",
    "clause_break",
    "clause_start",
)
QUESTION_KEYS = (
    "discourse",
    "openers",
    "openers_with_question_mark",
    "why",
    "not_after_opener",
    "first_person",
)


def _pattern_specs(raw: Iterable[Any], where: str) -> tuple[PatternSpec, ...]:
    specs = []
    for item in raw or ():
        if isinstance(item, str):
            specs.append(PatternSpec(item))
        elif isinstance(item, dict) and "pattern" in item:
            ranges = tuple((float(lo), float(hi)) for lo, hi in item.get("numbers", ()))
            specs.append(PatternSpec(str(item["pattern"]), ranges))
        else:
            raise ValueError(f"{where}: a pattern is a string or {{pattern: ..., numbers: ...}}")
    return tuple(specs)


def _strings(values: Iterable[Any], where: str) -> tuple[str, ...]:
    """Plain words of a list; YAML reads a bare on/off/yes/no as a boolean, so insist."""
    out = []
    for value in values or ():
        if not isinstance(value, str):
            raise ValueError(f"{where}: {value!r} must be quoted text")
        out.append(value.lower())
    return tuple(out)


def load_rule_book(path: Path = PATTERNS_FILE) -> RuleBook:
    """Parse and check a patterns file; raises ValueError on a malformed one."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    reasons = {}
    for code, spec in raw["reasons"].items():
        if spec["severity"] not in SEVERITIES:
            raise ValueError(f"reason {code}: severity must be one of {SEVERITIES}")
        reasons[code] = Reason(code, spec["severity"], str(spec["explanation"]).strip())

    contexts = {name: _pattern_specs(p, f"context {name}") for name, p in raw["contexts"].items()}
    rules = []
    for index, spec in enumerate(raw["rules"]):
        where = f"rule {index} ({spec.get('reason')})"
        if spec.get("reason") not in reasons:
            raise ValueError(f"{where}: unknown reason")
        required = tuple(spec.get("requires_context", ()))
        for name in required:
            if name not in contexts:
                raise ValueError(f"{where}: unknown context {name}")
        scope = spec.get("unless_scope", "clause")
        if scope not in ("clause", "sentence"):
            raise ValueError(f"{where}: unless_scope is clause or sentence")
        rules.append(
            Rule(
                reason=spec["reason"],
                patterns=_pattern_specs(spec["patterns"], where),
                unless=_pattern_specs(spec.get("unless", ()), where),
                unless_scope=scope,
                not_followed_by=_strings(spec.get("not_followed_by"), where),
                not_preceded_by=_strings(spec.get("not_preceded_by"), where),
                requires_context=required,
                history_counts=bool(spec.get("history_counts", False)),
                dated_event=bool(spec.get("dated_event", False)),
            )
        )

    combinations = []
    for spec in raw.get("combinations", ()):
        combo = Combination(spec["reason"], tuple(spec["of"]), int(spec.get("at_least", 2)))
        for code in (combo.reason, *combo.of):
            if code not in reasons:
                raise ValueError(f"combination {combo.reason}: unknown reason {code}")
        combinations.append(combo)

    cues = {kind: _pattern_specs(raw["cues"].get(kind, ()), f"cue {kind}") for kind in CUE_KINDS}
    question = {
        key: frozenset(_strings(raw["question"].get(key), f"question {key}"))
        for key in QUESTION_KEYS
    }
    return RuleBook(
        reasons=reasons,
        rules=tuple(rules),
        combinations=tuple(combinations),
        macros={name: tuple(map(str, phrases)) for name, phrases in raw["macros"].items()},
        cues=cues,
        contexts=contexts,
        spellings={str(k).lower(): str(v).lower() for k, v in raw.get("spellings", {}).items()},
        lemma_overrides={
            str(k).lower(): str(v).lower() for k, v in raw.get("lemma_overrides", {}).items()
        },
        question=question,
    )
