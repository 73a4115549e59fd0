"""Find red-flag symptoms (emergency or urgent) in a patient's message.

Why rules and not only the intent classifier: missing "I can't control my bladder" can
cost a person their nerves, so the assistant needs a net whose behaviour a clinician can
read and a test can pin down. The phrases live in `red_flag_patterns.yml`; this module
turns them into spaCy `Matcher` patterns and then decides whether each match is really a
report of the sign: not negated ("no numbness in my groin"), not a question about it
("is numbness in the groin a bad sign?"), not hypothetical ("what if I lose bladder
control?") and not a past episode that has resolved ("a bladder infection two years ago").

How the text is read: spaCy's lookup lemmatizer only knows lower-case forms ("Lost" stays
"Lost"), and chat is full of dropped apostrophes and typos. So every token is first
normalised (tokenizer norms such as "ca" -> "can", the spelling map of the patterns file,
a number split from its unit, one- or two-letter typos of the patterns' own words fixed)
and lemmatised from the lower-case form with the same lookup table. Matching runs on a
private copy of the message; the caller's `Doc` is never changed.

Nothing here logs: a finding carries the matched text for tests and for the caller's own
use, but that text is a health detail and must never reach a log.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from spacy.lang.en import English
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

EMERGENCY = "emergency"
URGENT = "urgent"
SEVERITIES = (EMERGENCY, URGENT)

PATTERNS_FILE = Path(__file__).with_name("red_flag_patterns.yml")

_SENTENCE_END = frozenset({".", "!", "?", "\u2026", "...", "\n"})
_CLAUSE_PUNCT = frozenset({";", ":", "(", ")", "-", "\u2013", "\u2014", "--", "|", "*", "\u2022"})
_SOFT_BREAKS = frozenset({",", "and", "&", "then", "plus"})
_WILDCARD_BLOCK = (
    "not",
    "no",
    "never",
    "without",
    "nor",
    "neither",
    "deny",
    "but",
    "however",
    "although",
    "though",
    "except",
    "until",
    "unless",
    "because",
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
_NUMBER_WITH_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z][a-z/]*)$")
_MAX_VARIANTS = 4000
_COMMON_WORD_LOGPROB = -15.0
_NEGATION_WINDOW = 6
_HYPOTHETICAL_WINDOW = 8
_MODAL_WINDOW = 3
_POST_NEGATION_WINDOW = 3
_FIRST_PERSON_LOOKBACK = 2


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


def _number_value(word: str) -> float | None:
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return None


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (adjacent swaps count once), cut off at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class _Normaliser:
    """Turns tokens into (word, lemma) pairs that patterns and messages share."""

    def __init__(
        self,
        vocab: Vocab,
        lemma_table: Mapping[str, str],
        spellings: Mapping[str, str],
        overrides: Mapping[str, str],
    ) -> None:
        self._tokenizer = English(vocab=vocab).tokenizer
        self._table = lemma_table
        self._overrides = dict(overrides)
        self._spellings = {src: self._plain_words(dst) for src, dst in spellings.items()}
        self._known: frozenset[str] = frozenset()
        self._lexicon: dict[int, list[str]] = {}
        self._corrections: dict[str, str | None] = {}

    @property
    def tokenizer(self):
        return self._tokenizer

    def lemma(self, word: str) -> str:
        if word in self._overrides:
            return self._overrides[word]
        return self._table.get(word, word)

    def _plain_words(self, text: str) -> list[str]:
        return [self._base(tok) for tok in self._tokenizer(text) if not tok.is_space]

    @staticmethod
    def _base(token) -> str:
        return (token.norm_ or token.lower_).lower().replace("\u2019", "'")

    def pattern_words(self, text: str) -> list[tuple[str, str]]:
        """(word, lemma) pairs of a pattern phrase, read exactly like a message."""
        words, _ = self.message_words(self._tokenizer(text), correct=False)
        return [(w, self.lemma(w)) for w in words]

    def set_lexicon(self, words: Iterable[str]) -> None:
        """Words that typos may be corrected to: the rules' own longer words."""
        lexicon = sorted({w for w in words if w.isalpha() and len(w) >= 5})
        self._known = _common_words() | frozenset(self._table.values()) | frozenset(lexicon)
        self._lexicon = {}
        for word in lexicon:
            self._lexicon.setdefault(len(word), []).append(word)
        self._corrections.clear()

    def _correct(self, word: str) -> str:
        """The rules' word that `word` is a typo of, or `word` itself.

        Chat forms are mapped first: a dropped final g ("feelin") and a doubled letter
        ("controll") when that gives a rule word. Otherwise a word that is not common
        English is a typo when it lies one edit (two for long words) from exactly one
        rule word with the same first letter ("numbnes", "bladdr").
        """
        if len(word) < 5 or not word.isalpha():
            return word
        if word not in self._corrections:
            if len(self._corrections) > 10000:
                self._corrections.clear()
            self._corrections[word] = self._chat_form(word) or (
                None if word in self._known or word in self._table else self._nearest(word)
            )
        return self._corrections[word] or word

    def _is_rule_word(self, word: str) -> bool:
        return word in self._lexicon.get(len(word), ())

    def _chat_form(self, word: str) -> str | None:
        if word.endswith("in") and self._is_rule_word(word + "g"):
            return word + "g"
        for i in range(1, len(word)):
            if word[i] == word[i - 1] and self._is_rule_word(word[:i] + word[i + 1 :]):
                return word[:i] + word[i + 1 :]
        return None

    def _nearest(self, word: str) -> str | None:
        limit = 1 if len(word) <= 7 else 2
        best: list[str] = []
        best_distance = limit + 1
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._lexicon.get(length, ()):
                if candidate[0] != word[0]:
                    continue
                distance = _edit_distance(word, candidate, limit)
                if distance < best_distance:
                    best, best_distance = [candidate], distance
                elif distance == best_distance <= limit:
                    best.append(candidate)
        return best[0] if len(best) == 1 else None

    def message_words(self, doc: Doc, correct: bool = True) -> tuple[list[str], list[int]]:
        """Normalised words of a message and, for each, the index of its source token.

        A hyphen or slash inside a word ("foot-drop", "groin/genitals") separates two
        words instead of cutting the clause, unless the joined form is a known spelling
        ("y/o") or a number with its unit ("67y/o").
        """
        words: list[str] = []
        origin: list[int] = []
        tokens = list(doc)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.is_space:
                if "\n" in tok.text:
                    words.append("\n")
                    origin.append(i)
                i += 1
                continue
            base = self._base(tok)
            inner = (
                base in {"-", "/"}
                and 0 < i < len(tokens) - 1
                and words
                and not tokens[i - 1].whitespace_
                and not tok.whitespace_
                and not tokens[i + 1].is_space
            )
            if inner:
                joined = words[-1] + base + self._base(tokens[i + 1])
                if base == "/" and (joined in self._spellings or _NUMBER_WITH_UNIT.match(joined)):
                    words.pop()
                    origin.pop()
                    self._emit(joined, i - 1, words, origin, correct)
                    i += 2
                else:
                    i += 1
                continue
            self._emit(base, i, words, origin, correct)
            i += 1
        return words, origin

    def _emit(
        self, base: str, index: int, words: list[str], origin: list[int], correct: bool
    ) -> None:
        match = _NUMBER_WITH_UNIT.match(base)
        if base in self._spellings:
            pieces = self._spellings[base]
        elif match and match.group(2) != "s":
            unit = match.group(2)
            pieces = [match.group(1), *self._spellings.get(unit, [unit])]
        else:
            pieces = [self._correct(base) if correct else base]
        for piece in pieces:
            words.append(piece)
            origin.append(index)


class _Compiler:
    """Turns the patterns file's phrase syntax into spaCy Matcher token patterns."""

    def __init__(self, normaliser: _Normaliser, macros: Mapping[str, Sequence[str]]) -> None:
        self._normaliser = normaliser
        self._macros = macros
        self.words: set[str] = set()
        self._wildcard = {
            "IS_PUNCT": False,
            "LEMMA": {"NOT_IN": list(_WILDCARD_BLOCK)},
            "LOWER": {"NOT_IN": ["\n"]},
            "OP": "?",
        }

    def compile(self, text: str) -> list[list[dict]]:
        variants = [v for v in self._sequence(text, ()) if v]
        if not variants:
            raise ValueError(f"pattern {text!r} matches nothing")
        for variant in variants:
            if all(token.get("OP") == "?" for token in variant):
                raise ValueError(f"pattern {text!r} can match an empty phrase")
        return variants

    def _sequence(self, text: str, seen: tuple[str, ...]) -> list[list[dict]]:
        variants: list[list[dict]] = [[]]
        for term in text.split():
            options = self._term(term, seen)
            variants = [a + b for a, b in itertools.product(variants, options)]
            if len(variants) > _MAX_VARIANTS:
                raise ValueError(f"pattern {text!r} expands to too many variants")
        return variants

    def _term(self, term: str, seen: tuple[str, ...]) -> list[list[dict]]:
        optional = len(term) > 1 and term.endswith("?")
        if optional:
            term = term[:-1]
        wildcard = re.fullmatch(r"~([1-9])", term)
        if wildcard:
            return [[dict(self._wildcard) for _ in range(int(wildcard.group(1)))]]
        if term == "<number>":
            options = [[{"LIKE_NUM": True}]]
        elif term.startswith("<") and term.endswith(">"):
            name = term[1:-1]
            if name not in self._macros:
                raise ValueError(f"unknown macro <{name}>")
            if name in seen:
                raise ValueError(f"macro <{name}> refers to itself")
            options = []
            for phrase in self._macros[name]:
                options.extend(v for v in self._sequence(phrase, (*seen, name)) if v)
        else:
            options = self._choices(term)
        if optional:
            if len(options) == 1 and len(options[0]) == 1 and "OP" not in options[0][0]:
                return [[{**options[0][0], "OP": "?"}]]
            options = [*options, []]
        return options

    def _choices(self, term: str) -> list[list[dict]]:
        lemmas: set[str] = set()
        exact: set[str] = set()
        options: list[list[dict]] = []
        for choice in term.split("|"):
            is_exact = choice.startswith("=")
            phrase = choice.lstrip("=").replace("_", " ")
            pairs = self._normaliser.pattern_words(phrase)
            if not pairs:
                raise ValueError(f"empty choice in {term!r}")
            self.words.update(word for word, _ in pairs)
            if len(pairs) == 1:
                word, lemma = pairs[0]
                (exact if is_exact else lemmas).add(word if is_exact else lemma)
            else:
                options.append(
                    [{"LOWER": w} if is_exact else {"LEMMA": lemma} for w, lemma in pairs]
                )
        if lemmas:
            options.append([{"LEMMA": {"IN": sorted(lemmas)}}])
        if exact:
            options.append([{"LOWER": {"IN": sorted(exact)}}])
        return options


@dataclass
class _Reading:
    """One message as the rules see it."""

    words: list[str]
    lemmas: list[str]
    origin: list[int]
    sentence: list[int]
    clause: list[int]
    sentence_asks: dict[int, bool]
    clause_kind: dict[int, str]
    cues: dict[str, list[tuple[int, int]]]
    members: dict[int, list[int]] = field(default_factory=dict)

    def in_clause(self, index: int, clause: int) -> bool:
        return 0 <= index < len(self.clause) and self.clause[index] == clause


@dataclass(frozen=True)
class _Candidate:
    reason: str
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words frequent enough in English text that they are not typos.

    From spacy-lookups-data's word probabilities (the package the pipeline's lemmatizer
    tables come from); empty when that table is not installed, which only makes typo
    correction more cautious about what it calls a typo.
    """
    try:
        import spacy_lookups_data
    except ImportError:
        return frozenset()
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    if not path.exists():
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probabilities = json.load(handle)
    return frozenset(
        word for word, logprob in probabilities.items() if logprob >= _COMMON_WORD_LOGPROB
    )


def _default_lemma_table() -> Mapping[str, str]:
    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def _language_lemma_table(nlp: Language) -> Mapping[str, str] | None:
    for _, component in nlp.pipeline:
        lookups = getattr(component, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            return lookups.get_table("lemma_lookup")
    return None


class RedFlagDetector:
    """Red-flag finder bound to one spaCy `Vocab` (matchers are tied to a vocab).

    Build it once per pipeline (`from_language(nlp)` or `RedFlagDetector(nlp.vocab)`)
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
    def from_language(cls, nlp: Language, rules: RuleBook | None = None) -> RedFlagDetector:
        """A detector for `nlp`'s vocab, using its lookup lemmatizer's table if it has one."""
        return cls(nlp.vocab, rules=rules, lemma_table=_language_lemma_table(nlp))

    def _phrases(self, phrases: Sequence[str]) -> list[list[str]]:
        return [[w for w, _ in self._normaliser.pattern_words(p)] for p in phrases]

    @property
    def reasons(self) -> dict[str, Reason]:
        return dict(self.rules.reasons)

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
        (negated, in the past, asked about)" apart from "no sign was named".
        """
        words, _ = self._normaliser.message_words(doc)
        if not words:
            return False
        copy = Doc(self.vocab, words=words, lemmas=[self._normaliser.lemma(w) for w in words])
        return any(
            self.vocab.strings[match_id].startswith("rule::")
            for match_id, _, _ in self._matcher(copy)
        )

    def detect_all(self, doc: Doc) -> list[RedFlagFinding]:
        """Every red flag reported in `doc`, most serious first, one per reason."""
        words, origin = self._normaliser.message_words(doc)
        if not words:
            return []
        lemmas = [self._normaliser.lemma(w) for w in words]
        copy = Doc(self.vocab, words=words, lemmas=lemmas)
        matches: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._matcher(copy):
            key = self.vocab.strings[match_id]
            if key in self._numbers and not self._has_number(words, start, end, key):
                continue
            kind, name = key.split("::")[:2]
            matches.setdefault(f"{kind}::{name}", []).append((start, end))

        cues = {kind: sorted(matches.get(f"cue::{kind}", ())) for kind in CUE_KINDS}
        reading = self._read(words, lemmas, origin, cues)
        contexts = {
            name
            for name in self.rules.contexts
            if any(
                self._is_report(reading, start, end, history=False)
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
        return self._findings(doc, reading, accepted)

    def _has_number(self, words: list[str], start: int, end: int, key: str) -> bool:
        ranges = self._numbers[key]
        for word in words[start:end]:
            value = _number_value(word)
            if value is not None and any(lo <= value <= hi for lo, hi in ranges):
                return True
        return False

    def _read(
        self,
        words: list[str],
        lemmas: list[str],
        origin: list[int],
        cues: dict[str, list[tuple[int, int]]],
    ) -> _Reading:
        n = len(words)
        breaks = set()
        for start, end in cues["clause_break"]:
            breaks.update(range(start, end))
        clause_starts = {start for start, _ in cues["clause_start"]}
        for i, word in enumerate(words):
            hard = word in _SENTENCE_END or word in _CLAUSE_PUNCT
            if hard or (word in _SOFT_BREAKS and (i + 1) in clause_starts):
                breaks.add(i)

        sentence, clause = [0] * n, [0] * n
        sentence_asks: dict[int, bool] = {}
        sid, cid = 0, 0
        for i, word in enumerate(words):
            sentence[i] = sid
            if i in breaks:
                clause[i] = -1
                if i > 0 and clause[i - 1] != -1:
                    cid += 1
            else:
                clause[i] = cid
            if word == "?":
                sentence_asks[sid] = True
            if word in _SENTENCE_END and (i + 1 >= n or words[i + 1] not in _SENTENCE_END):
                sid += 1

        reading = _Reading(words, lemmas, origin, sentence, clause, sentence_asks, {}, cues)
        for i, c in enumerate(clause):
            if c != -1:
                reading.members.setdefault(c, []).append(i)
        for c in reading.members:
            reading.clause_kind[c] = self._clause_kind(reading, c)
        return reading

    def _clause_kind(self, reading: _Reading, clause: int) -> str:
        q = self.rules.question
        members = reading.members[clause]
        words = [reading.words[i] for i in members]
        k = 0
        while k < len(words) and words[k] in q["discourse"]:
            k += 1
        if k >= len(words):
            return "statement"
        opener = words[k]
        following = words[k + 1] if k + 1 < len(words) else ""
        asks = reading.sentence_asks.get(reading.sentence[members[0]], False)
        if opener in q["why"] or (opener == "how" and following == "come"):
            return "why"
        if following in q["not_after_opener"]:
            return "statement"
        if opener in q["openers"] or (asks and opener in q["openers_with_question_mark"]):
            return "question"
        return "statement"

    def _cues_before(
        self, reading: _Reading, kind: str, start: int, window: int
    ) -> list[tuple[int, int]]:
        clause = reading.clause[start]
        return [
            (s, e)
            for s, e in reading.cues[kind]
            if e <= start and start - e <= window and reading.in_clause(s, clause)
        ]

    def _covered(self, reading: _Reading, kind: str, span: tuple[int, int]) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in reading.cues[kind])

    def _negated(self, reading: _Reading, start: int, end: int) -> bool:
        for cue in self._cues_before(reading, "negation", start, _NEGATION_WINDOW):
            if not self._covered(reading, "pseudo_negation", cue):
                return True
        clause = reading.clause[end - 1]
        return any(
            s >= end and s - end <= _POST_NEGATION_WINDOW and reading.in_clause(s, clause)
            for s, _ in reading.cues["post_negation"]
        )

    def _hypothetical(self, reading: _Reading, start: int) -> bool:
        if self._cues_before(reading, "hypothetical", start, _HYPOTHETICAL_WINDOW):
            return True
        clause = reading.clause[start]
        for _, cue_end in self._cues_before(reading, "conditional", start, _HYPOTHETICAL_WINDOW):
            now = [s for s, _ in reading.cues["current"] if s >= cue_end]
            if not any(reading.in_clause(s, clause) for s in now):
                return True
        return bool(self._cues_before(reading, "modal", start, _MODAL_WINDOW))

    def _asked_about(self, reading: _Reading, start: int, end: int) -> bool:
        clause = reading.clause[start]
        kind = reading.clause_kind.get(clause, "statement")
        if kind == "statement":
            return False
        first_person = self.rules.question["first_person"]
        if kind == "why":
            return not any(reading.words[i] in first_person for i in reading.members[clause])
        if self._cues_before(reading, "question_hypothetical", start, _HYPOTHETICAL_WINDOW):
            return True
        lookback = range(max(0, start - _FIRST_PERSON_LOOKBACK), end)
        return not any(
            reading.in_clause(i, clause) and reading.words[i] in first_person for i in lookback
        )

    def _in_past(self, reading: _Reading, start: int) -> bool:
        clause = reading.clause[start]

        def in_clause(kind: str, c: int) -> list[tuple[int, int]]:
            return [(s, e) for s, e in reading.cues[kind] if reading.in_clause(s, c)]

        resolved = [
            (s, e)
            for s, e in reading.cues["resolved"]
            if not any(ne <= s and s - ne <= 2 for _, ne in reading.cues["negation"])
        ]
        past = in_clause("past", clause)
        current = [
            cue
            for cue in in_clause("current", clause)
            if not any(ps <= cue[0] < pe for ps, pe in past + resolved)
        ]
        if current:
            return False
        if past:
            return True
        if any(reading.in_clause(s, clause) for s, _ in resolved):
            return True
        later = reading.members.get(clause + 1, [])
        if later and reading.sentence[later[0]] == reading.sentence[start]:
            opens_with_reference = any(s == later[0] for s, _ in reading.cues["back_reference"])
            if opens_with_reference and any(reading.in_clause(s, clause + 1) for s, _ in resolved):
                return True
        return False

    def _is_report(self, reading: _Reading, start: int, end: int, history: bool) -> bool:
        if reading.clause[start] == -1:
            return False
        if self._negated(reading, start, end):
            return False
        if self._hypothetical(reading, start) or self._asked_about(reading, start, end):
            return False
        return not (history and self._in_past(reading, start))

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
        if not self._is_report(reading, start, end, history=not rule.history_counts):
            return False
        for u_start, u_end in matches.get(f"unless::{index}", ()):
            if rule.unless_scope == "clause":
                same = reading.clause[u_start] == reading.clause[start] != -1
            else:
                same = reading.sentence[u_start] == reading.sentence[start]
            if same and not self._negated(reading, u_start, u_end):
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
