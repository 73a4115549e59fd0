"""How the red-flag reader reads one message: clauses, sentences and the cues around a match.

Why a module of its own: a match is not yet a report. Whether it is one depends on where
it stands: in a clause that negates it ("no numbness"), a hypothetical ("what if I lose
bladder control?"), a question about it ("is numbness a bad sign?") or a past episode
that has resolved. These judgements only need the message's words and the cue matches,
so they live here, apart from matching and ranking (`detector`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

_SENTENCE_END = frozenset({".", "!", "?", "\u2026", "...", "\n"})
_CLAUSE_PUNCT = frozenset({";", ":", "(", ")", "-", "\u2013", "\u2014", "--", "|", "*", "\u2022"})
# "y" and "e" are Spanish and Portuguese "and" ("... en mis partes y no puedo orinar").
_SOFT_BREAKS = frozenset({",", "and", "&", "then", "plus", "y", "e"})
_NEGATION_WINDOW = 6
_HYPOTHETICAL_WINDOW = 8
_MODAL_WINDOW = 3
_POST_NEGATION_WINDOW = 3
_FIRST_PERSON_LOOKBACK = 2
# How many words may stand between an event and the past time that dates it.
_DATED_EVENT_GAP = 4
_PAST_VERBS = frozenset(
    {"had", "got", "was", "were", "broke", "hurt", "fell", "went", "took", "did", "needed"}
    | {"spent", "ended", "wound", "came", "tore", "cracked", "slipped", "pulled", "threw"}
)

# The answers that deny a sign just asked of oneself ("fever? nope").
_ANSWERED_NO = frozenset({"no", "nope", "nah", "none", "negative", "never", "nada"})

# Past cues that say how long, not when: "for years", "all my life", "always been".
_DURATION_OPENERS = frozenset(
    {"for", "all", "since", "always", "has", "have", "had", "never", "unchanged", "stable"}
    | {"longstanding", "long-standing", "lifelong", "same", "used"}
)


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
    question: Mapping[str, frozenset[str]]
    members: dict[int, list[int]] = field(default_factory=dict)

    def in_clause(self, index: int, clause: int) -> bool:
        return 0 <= index < len(self.clause) and self.clause[index] == clause

    def _clause_kind(self, clause: int) -> str:
        q = self.question
        members = self.members[clause]
        words = [self.words[i] for i in members]
        k = 0
        while k < len(words) and words[k] in q["discourse"]:
            k += 1
        if k >= len(words):
            return "statement"
        opener = words[k]
        following = words[k + 1] if k + 1 < len(words) else ""
        asks = self.sentence_asks.get(self.sentence[members[0]], False)
        if opener in q["why"] or (opener == "how" and following == "come"):
            return "why"
        if following in q["not_after_opener"]:
            return "statement"
        if opener in q["openers"] or (asks and opener in q["openers_with_question_mark"]):
            return "question"
        return "statement"

    def _cues_before(self, kind: str, start: int, window: int) -> list[tuple[int, int]]:
        clause = self.clause[start]
        return [
            (s, e)
            for s, e in self.cues[kind]
            if e <= start and start - e <= window and self.in_clause(s, clause)
        ]

    def _covered(self, kind: str, span: tuple[int, int]) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in self.cues[kind])

    def negated(self, start: int, end: int) -> bool:
        for cue in self._cues_before("negation", start, _NEGATION_WINDOW):
            if not self._covered("pseudo_negation", cue):
                return True
        following = self.words[end : end + 2]
        if len(following) == 2 and following[0] == "?" and following[1] in _ANSWERED_NO:
            # "chills? no. fever? no. just an ache" (round 22's list 16): the sign asked
            # of oneself and answered at once.
            return True
        clause = self.clause[end - 1]
        return any(
            s >= end and s - end <= _POST_NEGATION_WINDOW and self.in_clause(s, clause)
            for s, _ in self.cues["post_negation"]
        )

    def _hypothetical(self, start: int) -> bool:
        if self._cues_before("hypothetical", start, _HYPOTHETICAL_WINDOW):
            return True
        clause = self.clause[start]
        for _, cue_end in self._cues_before("conditional", start, _HYPOTHETICAL_WINDOW):
            now = [s for s, _ in self.cues["current"] if s >= cue_end]
            if not any(self.in_clause(s, clause) for s in now):
                return True
        return bool(self._cues_before("modal", start, _MODAL_WINDOW))

    def _asked_about(self, start: int, end: int) -> bool:
        clause = self.clause[start]
        kind = self.clause_kind.get(clause, "statement")
        if kind == "statement":
            return False
        first_person = self.question["first_person"]
        if kind == "why":
            return not any(self.words[i] in first_person for i in self.members[clause])
        if self._cues_before("question_hypothetical", start, _HYPOTHETICAL_WINDOW):
            return True
        lookback = range(max(0, start - _FIRST_PERSON_LOOKBACK), end)
        return not any(
            self.in_clause(i, clause) and self.words[i] in first_person for i in lookback
        )

    def _cues_in_clause(self, kind: str, clause: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.cues[kind] if self.in_clause(s, clause)]

    def _in_past(self, start: int) -> bool:
        clause = self.clause[start]
        resolved = [
            (s, e)
            for s, e in self.cues["resolved"]
            if not any(ne <= s and s - ne <= 2 for _, ne in self.cues["negation"])
            and not any(e <= ms and ms - e <= 1 for ms, _ in self.cues["masked"])
            and not any(bs < e and s < be for bs, be in self.cues["becoming"])
        ]
        past = self._cues_in_clause("past", clause)
        current = [
            cue
            for cue in self._cues_in_clause("current", clause)
            if not any(ps <= cue[0] < pe for ps, pe in past + resolved)
            and not self._now_and_then(cue[0])
        ]
        # "... with fevers three weeks ago, but that's over": the next clause says the
        # episode ended, whatever time the first one gave it. So does a next clause that
        # opens on the ending itself ("a fever 3 weeks ago, gone in a day").
        later = self.members.get(clause + 1, [])
        if later and self.sentence[later[0]] == self.sentence[start]:
            opens_with_reference = any(s == later[0] for s, _ in self.cues["back_reference"])
            if opens_with_reference and any(self.in_clause(s, clause + 1) for s, _ in resolved):
                return True
            if any(s == later[0] for s, _ in resolved):
                return True
        if current:
            return False
        if past:
            return True
        if any(self.in_clause(s, clause) for s, _ in resolved):
            return True
        return self._continues_past_clause(clause)

    def dated_in_past(self, start: int, end: int) -> bool:
        """An event with a past time right beside it: "a car crash in 2016", "a fall off a
        horse years ago". The time dates the event itself, so a current cue later in the
        clause ("the back still twinges") is about what the event left behind."""
        clause = self.clause[start]
        for cue_start, cue_end in self._cues_in_clause("past", clause):
            if end <= cue_start <= end + _DATED_EVENT_GAP:
                gap = (end, cue_start)
            elif start - _DATED_EVENT_GAP <= cue_end <= start:
                gap = (cue_end, start)
            else:
                continue
            if not any(gap[0] <= s < gap[1] for s, _ in self.cues["current"]):
                return True
        # "a fender bender 5 years ago, got whiplash and some back pain that still flares":
        # an event opening a clause that carries on the past one is dated by its time. A
        # duration does not date it ("on steroids for years, dropped down hard").
        members = self.members.get(clause, [])
        return (
            bool(members)
            and start - members[0] <= 1
            and self._continues_past_clause(clause, joiners=("and", ","))
            and any(
                self.words[s] not in _DURATION_OPENERS
                for s, _ in self._cues_in_clause("past", clause - 1)
            )
        )

    def _now_and_then(self, index: int) -> bool:
        """ "twinges now and then": how often, not a time that makes the episode current."""
        return self.words[index : index + 3] in (["now", "and", "then"], ["now", "and", "again"])

    def _continues_past_clause(self, clause: int, joiners: tuple[str, ...] = ("and",)) -> bool:
        """ "a fender bender 5 years ago and had whiplash": a clause with no time of its own,
        joined by "and" with no subject of its own (it opens on a past form), shares the time
        of the clause before."""
        members = self.members.get(clause, [])
        before = self.members.get(clause - 1, [])
        if not members or not before or self.sentence[before[0]] != self.sentence[members[0]]:
            return False
        opener = self.words[members[0]]
        if members[0] == 0 or self.words[members[0] - 1] not in joiners:
            return False
        if opener not in _PAST_VERBS and not (opener.endswith("ed") and len(opener) > 4):
            return False
        before_clause = clause - 1
        return bool(self._cues_in_clause("past", before_clause)) and not self._cues_in_clause(
            "current", before_clause
        )

    def is_report(self, start: int, end: int, history: bool) -> bool:
        if self.clause[start] == -1:
            return False
        if self.negated(start, end):
            return False
        if self._hypothetical(start) or self._asked_about(start, end):
            return False
        return not (history and self._in_past(start))


def _read_message(
    words: list[str],
    lemmas: list[str],
    origin: list[int],
    cues: dict[str, list[tuple[int, int]]],
    question: Mapping[str, frozenset[str]],
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

    reading = _Reading(words, lemmas, origin, sentence, clause, sentence_asks, {}, cues, question)
    for i, c in enumerate(clause):
        if c != -1:
            reading.members.setdefault(c, []).append(i)
    for c in reading.members:
        reading.clause_kind[c] = reading._clause_kind(c)
    return reading
