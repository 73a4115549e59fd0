"""The patterns file's phrase syntax compiled into spaCy `Matcher` token patterns.

Why a module of its own: the syntax (`a|b` choices, `=exact` words, `word?` optional
words, `~3` wildcards, `<macro>` references and `<number>`) is a small language of its
own, kept apart from how matches are judged; the compiler refuses a pattern
that matches nothing, an empty phrase or too many variants.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from spinecare.safety.red_flags.normaliser import _Normaliser

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
_MAX_VARIANTS = 4000


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
        wildcard = re.fullmatch(r"~([1-9]|1[0-2])", term)
        if term.startswith("~") and not wildcard:
            raise ValueError(f"gap {term!r}: write ~1 to ~12")
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
            if not is_exact:
                # Typos are corrected towards these words. An exact word is meant in its
                # own spelling only: "Cahill", a surname, was read as "=chill" (set 49).
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
