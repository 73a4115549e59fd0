"""Intent and entity names of the assistant that Python code refers to.

Why one module: these names are defined in domain.yml and the training data, and the
NLU components (addons/), the form actions (actions/), the channels, the benchmarks
(bench/) and the spinecare package each compare against some of them. Written as
string literals in each place, a rename in the domain would leave a silent mismatch
(a comparison that is never true); written here, it is one edit, and
tests/spinecare/test_names.py checks that every name below is in domain.yml.

Only names Python code uses are listed; the YAML files (domain, data, config) keep
their own literals, since Rasa reads them and they cannot import this module.
Red-flag reason codes are not here: they are defined by the rule book
(`spinecare/safety/red_flag_patterns.yml`) and only tests name them.
"""

from __future__ import annotations

# --- intents set by our own NLU components (addons/red_flag_detector.py) -----------
REPORT_RED_FLAG = "report_red_flag"
REPORT_URGENT_SYMPTOM = "report_urgent_symptom"
# A classifier alarm the red-flag rules could not confirm: the safety screen asks.
REPORT_POSSIBLE_RED_FLAG = "report_possible_red_flag"

# --- intents of the classifier that code acts on -----------------------------------
CANCEL = "cancel"
REQUEST_MRI_REVIEW = "request_mri_review"
HUMAN_HANDOFF = "human_handoff"
BOT_CHALLENGE = "bot_challenge"
ASK_PRIVACY = "ask_privacy"
ASK_MEDICAL_ADVICE = "ask_medical_advice"
AFFIRM = "affirm"
DENY = "deny"

# Questions answered by the response selector (retrieval intents).
ASK_EXERCISE_SAFETY = "ask_exercise_safety"
ASK_CONSERVATIVE_CARE = "ask_conservative_care"
ASK_SURGERY = "ask_surgery"
ASK_MRI_REVIEW = "ask_mri_review"

# Rasa's own intent for a message the FallbackClassifier (config.yml) is unsure of; not
# in domain.yml, so in RASA_INTENTS, not INTENTS, below.
NLU_FALLBACK = "nlu_fallback"

# --- entities -----------------------------------------------------------------------
# The red-flag reason code the red-flag component attaches to a safety intent.
RED_FLAG_REASON = "red_flag_reason"
EXERCISE = "EXERCISE"

INTENTS = (
    REPORT_RED_FLAG,
    REPORT_URGENT_SYMPTOM,
    REPORT_POSSIBLE_RED_FLAG,
    CANCEL,
    REQUEST_MRI_REVIEW,
    HUMAN_HANDOFF,
    BOT_CHALLENGE,
    ASK_PRIVACY,
    ASK_MEDICAL_ADVICE,
    AFFIRM,
    DENY,
    ASK_EXERCISE_SAFETY,
    ASK_CONSERVATIVE_CARE,
    ASK_SURGERY,
    ASK_MRI_REVIEW,
)
RASA_INTENTS = (NLU_FALLBACK,)
ENTITIES = (RED_FLAG_REASON, EXERCISE)


def classifier_guesses(intent_ranking: list[dict] | None) -> list[str]:
    """The classifiers' intents, best first, looking past the FallbackClassifier's nlu_fallback.

    A message the FallbackClassifier gave up on still has the classifiers' ranking under it;
    code that must know what they guessed (an explicit cancel, an unsure question) reads it
    here.
    """
    return [
        str(entry.get("name"))
        for entry in intent_ranking or []
        if entry.get("name") and entry.get("name") != NLU_FALLBACK
    ]
