"""How the red-flag rules read words: normalised, lemmatised and typo-corrected.

Why a module of its own: spaCy's lookup lemmatizer only knows lower-case forms and chat
is full of dropped apostrophes, chat forms ("feelin", "controll") and typos ("numbnes"),
so patterns and messages must both go through the same reading of each token before
matching. That reading (tokenizer norms, the patterns file's spellings, numbers split
from their units, typos corrected towards the rules' own words) lives here.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from spacy.lang.en import English
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc
from spacy.vocab import Vocab

_NUMBER_WITH_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z][a-z/]*)$")
# "a wreck on I-40", "crash on US-59": a numbered road is read as "highway".
_NUMBERED_ROAD = re.compile(r"^(?:i|us|sr|hwy|rt|route|interstate)-\d{1,3}[nsew]?$")


_COMMON_WORD_LOGPROB = -15.0


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
        elif _NUMBERED_ROAD.match(base):
            pieces = ["highway"]
        elif match and match.group(2) != "s":
            unit = match.group(2)
            pieces = [match.group(1), *self._spellings.get(unit, [unit])]
        else:
            pieces = [self._correct(base) if correct else base]
        for piece in pieces:
            words.append(piece)
            origin.append(index)


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
