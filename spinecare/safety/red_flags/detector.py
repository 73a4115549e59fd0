"""The red-flag reader: runs the rules on a message and turns accepted matches into findings.

Why a module of its own: this is the one place that puts the steps together. It builds
the `Matcher` from the rule book (through the normaliser and the pattern compiler),
runs it once per message, keeps only the matches that `reading` says are reports (and
that pass each rule's own conditions), adds the combinations and ranks the findings by
severity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from spinecare.safety.red_flags.normaliser import (
    _default_lemma_table,
    _language_lemma_table,
    _Normaliser,
)
from spinecare.safety.red_flags.patterns import _Compiler
from spinecare.safety.red_flags.reading import _read_message, _Reading
from spinecare.safety.red_flags.rule_book import (
    CUE_KINDS,
    EMERGENCY,
    SEVERITIES,
    PatternSpec,
    Rule,
    RuleBook,
    load_rule_book,
)

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


@dataclass(frozen=True)
class RedFlagFinding:
    """One red flag found in a message.

    `span_text`, `start` and `end` locate the words that triggered it in the original
    text (character offsets); they are kept out of `repr` so that printing or logging a
    finding never leaks what the patient wrote.
    """

    severity: str
    reason: str
    explanation: str
    span_text: str = field(repr=False)
    start: int = field(repr=False)
    end: int = field(repr=False)

    @property
    def is_emergency(self) -> bool:
        return self.severity == EMERGENCY


def _number_value(word: str) -> float | None:
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class _Candidate:
    reason: str
    start: int
    end: int


class RedFlagReader:
    """Red-flag finder bound to one spaCy `Vocab` (matchers are tied to a vocab).

    Build it once per pipeline (`from_language(nlp)` or `RedFlagReader(nlp.vocab)`)
    and call `detect(doc)` for each message; `detect_text(text)` tokenises for you.
    """

    def __init__(
        self,
        vocab: Vocab,
        rules: RuleBook | None = None,
        lemma_table: Mapping[str, str] | None = None,
    ) -> None:
        self.vocab = vocab
        self.rules = rules or load_rule_book()
        self._normaliser = _Normaliser(
            vocab,
            lemma_table if lemma_table is not None else _default_lemma_table(),
            self.rules.spellings,
            self.rules.lemma_overrides,
        )
        self._matcher = Matcher(vocab)
        self._numbers: dict[str, tuple[tuple[float, float], ...]] = {}
        compiler = _Compiler(self._normaliser, self.rules.macros)
        for index, rule in enumerate(self.rules.rules):
            self._add(compiler, f"rule::{index}", rule.patterns, greedy=True)
        symptom_words = set(compiler.words)
        for index, rule in enumerate(self.rules.rules):
            if rule.unless:
                self._add(compiler, f"unless::{index}", rule.unless)
        for name, specs in self.rules.contexts.items():
            self._add(compiler, f"context::{name}", specs)
        for kind, specs in self.rules.cues.items():
            if specs:
                self._add(compiler, f"cue::{kind}", specs)
        self._normaliser.set_lexicon(symptom_words)
        self._after = [self._phrases(rule.not_followed_by) for rule in self.rules.rules]
        self._before = [self._phrases(rule.not_preceded_by) for rule in self.rules.rules]
        self._priority = {code: i for i, code in enumerate(self.rules.reasons)}

    @classmethod
    def from_language(cls, nlp: Language, rules: RuleBook | None = None) -> RedFlagReader:
        """A reader for `nlp`'s vocab, using its lookup lemmatizer's table if it has one."""
        return cls(nlp.vocab, rules=rules, lemma_table=_language_lemma_table(nlp))

    def _phrases(self, phrases: Sequence[str]) -> list[list[str]]:
        return [[w for w, _ in self._normaliser.pattern_words(p)] for p in phrases]

    def _add(
        self, compiler: _Compiler, key: str, specs: Sequence[PatternSpec], greedy: bool = False
    ) -> None:
        """Register patterns under `key`; ones with number ranges get a sub-key each."""
        for n, spec in enumerate(specs):
            variants = compiler.compile(spec.text)
            sub_key = f"{key}::{n}" if spec.numbers else key
            if spec.numbers:
                self._numbers[sub_key] = spec.numbers
            self._matcher.add(sub_key, variants, greedy="LONGEST" if greedy else None)

    def detect_text(self, text: str) -> RedFlagFinding | None:
        """`detect` on `text`, tokenised with the detector's own English tokenizer."""
        return self.detect(self._normaliser.tokenizer(text))

    def detect(self, doc: Doc) -> RedFlagFinding | None:
        """The most serious red flag reported in `doc`, or None."""
        findings = self.detect_all(doc)
        return findings[0] if findings else None

    def mentions_sign(self, doc: Doc) -> bool:
        """True when `doc` names a red-flag sign at all, reported or not.

        With `detect(doc)` returning None, this tells "the sign was named but ruled out
        (negated, in the past, asked about)" apart from "no sign was named". A message
        saying the signs are normal ("pee and poop all normal") speaks of them too.
        """
        words, _ = self._normaliser.message_words(doc)
        if not words:
            return False
        copy = Doc(self.vocab, words=words, lemmas=[self._normaliser.lemma(w) for w in words])
        return any(
            self.vocab.strings[match_id].startswith(("rule::", "cue::reassurance"))
            for match_id, _, _ in self._matcher(copy)
        )

    def assess(self, doc: Doc) -> tuple[RedFlagFinding | None, bool]:
        """`detect(doc)` and whether the message speaks of the signs, from one run of the matcher.

        The second is `mentions_sign(doc)`, or a `reassurance` cue: the person says the
        signs are normal. Either way a classifier alarm the rules did not confirm is
        withdrawn. The NLU component needs both for every message; the matcher (1,350
        patterns) is the detector's main cost, so it runs once.
        """
        findings, named = self._assess(doc)
        return (findings[0] if findings else None), named

    def detect_all(self, doc: Doc) -> list[RedFlagFinding]:
        """Every red flag reported in `doc`, most serious first, one per reason."""
        return self._assess(doc)[0]

    def _assess(self, doc: Doc) -> tuple[list[RedFlagFinding], bool]:
        words, origin = self._normaliser.message_words(doc)
        if not words:
            return [], False
        lemmas = [self._normaliser.lemma(w) for w in words]
        copy = Doc(self.vocab, words=words, lemmas=lemmas)
        matches: dict[str, list[tuple[int, int]]] = {}
        named = False
        for match_id, start, end in self._matcher(copy):
            key = self.vocab.strings[match_id]
            named = named or key.startswith("rule::")
            if key in self._numbers and not self._has_number(words, start, end, key):
                continue
            kind, name = key.split("::")[:2]
            matches.setdefault(f"{kind}::{name}", []).append((start, end))

        cues = {kind: sorted(matches.get(f"cue::{kind}", ())) for kind in CUE_KINDS}
        # "pee and poop all normal, no numbness anywhere": the signs said to be normal.
        named = named or bool(cues["reassurance"])
        reading = _read_message(words, lemmas, origin, cues, self.rules.question)
        contexts = {
            name
            for name in self.rules.contexts
            if any(
                reading.is_report(start, end, history=False)
                for start, end in matches.get(f"context::{name}", ())
            )
        }
        accepted: list[_Candidate] = []
        for index, rule in enumerate(self.rules.rules):
            if rule.requires_context and not contexts.intersection(rule.requires_context):
                continue
            for start, end in sorted(matches.get(f"rule::{index}", ())):
                if self._accept(reading, rule, index, start, end, matches):
                    accepted.append(_Candidate(rule.reason, start, end))
                    break
        accepted.extend(self._combine(accepted))
        return self._findings(doc, reading, accepted), named

    def _has_number(self, words: list[str], start: int, end: int, key: str) -> bool:
        ranges = self._numbers[key]
        for word in words[start:end]:
            value = _number_value(word)
            if value is not None and any(lo <= value <= hi for lo, hi in ranges):
                return True
        return False

    def _accept(
        self,
        reading: _Reading,
        rule: Rule,
        index: int,
        start: int,
        end: int,
        matches: Mapping[str, list[tuple[int, int]]],
    ) -> bool:
        words = reading.words
        for after in self._after[index]:
            if words[end : end + len(after)] == after:
                return False
        for before in self._before[index]:
            if len(before) <= start and words[start - len(before) : start] == before:
                return False
        if not reading.is_report(start, end, history=not rule.history_counts):
            return False
        if rule.dated_event and reading.dated_in_past(start, end):
            return False
        for u_start, u_end in matches.get(f"unless::{index}", ()):
            if rule.unless_scope == "clause":
                same = reading.clause[u_start] == reading.clause[start] != -1
            else:
                same = reading.sentence[u_start] == reading.sentence[start]
            if same and not reading.negated(u_start, u_end):
                return False
        return True

    def _combine(self, accepted: list[_Candidate]) -> list[_Candidate]:
        combined = []
        for combo in self.rules.combinations:
            parts: list[_Candidate] = []
            for candidate in accepted:
                if candidate.reason not in combo.of:
                    continue
                if any(p.reason == candidate.reason for p in parts):
                    continue
                if any(candidate.start < p.end and p.start < candidate.end for p in parts):
                    continue
                parts.append(candidate)
            if len(parts) >= combo.at_least:
                start = min(p.start for p in parts)
                end = max(p.end for p in parts)
                combined.append(_Candidate(combo.reason, start, end))
        return combined

    def _findings(
        self, doc: Doc, reading: _Reading, accepted: list[_Candidate]
    ) -> list[RedFlagFinding]:
        by_reason: dict[str, _Candidate] = {}
        for candidate in accepted:
            by_reason.setdefault(candidate.reason, candidate)
        ordered = sorted(
            by_reason.values(),
            key=lambda c: (
                SEVERITIES.index(self.rules.reasons[c.reason].severity),
                self._priority[c.reason],
            ),
        )
        findings = []
        for candidate in ordered:
            first = doc[reading.origin[candidate.start]]
            last = doc[reading.origin[candidate.end - 1]]
            start_char, end_char = first.idx, last.idx + len(last.text)
            reason = self.rules.reasons[candidate.reason]
            findings.append(
                RedFlagFinding(
                    severity=reason.severity,
                    reason=reason.code,
                    explanation=reason.explanation,
                    span_text=doc.text[start_char:end_char],
                    start=start_char,
                    end=end_char,
                )
            )
        return findings
