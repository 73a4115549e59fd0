"""Find red-flag symptoms (emergency or urgent) in a patient's message.

Why rules and not only the intent classifier: missing "I can't control my bladder" can
cost a person their nerves, so the assistant needs a net whose behaviour a clinician can
read and a test can pin down. The phrases live in `red_flag_patterns.yml`; this package
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

Why a package: each step is its own module. `rule_book` reads and checks the patterns
file, `normaliser` reads words the way the rules do, `patterns` compiles the phrase
syntax into `Matcher` patterns, `reading` judges a match by its clause and sentence
(negated, hypothetical, asked about, past) and `detector` holds `RedFlagReader`, which
puts these together. (The Rasa NLU component that wraps it is
`addons.red_flag_detector.RedFlagDetector`.)
"""

from spinecare.safety.red_flags.detector import RedFlagFinding, RedFlagReader
from spinecare.safety.red_flags.rule_book import (
    EMERGENCY,
    PATTERNS_FILE,
    SEVERITIES,
    URGENT,
    Reason,
    RuleBook,
    load_rule_book,
)

__all__ = [
    "EMERGENCY",
    "PATTERNS_FILE",
    "SEVERITIES",
    "URGENT",
    "Reason",
    "RedFlagFinding",
    "RedFlagReader",
    "RuleBook",
    "load_rule_book",
]
