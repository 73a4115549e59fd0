"""Choosing a clinic answer from the ResponseSelector's output: a topic, the overview, or none.

Why three outcomes: a wrong clinical answer is worse than none, but refusing a clearly
understood question is a failure too. One ResponseSelector spreads its confidence over
about two dozen narrow topics, so "can I exercise with sciatica" is certainly an
exercise question (intent confidence near 1) without being certainly about posture or
repetitions. Then the person gets the overview answer of that intent, drawn from the
same guidance. Only when the intent itself is uncertain is the person asked to
rephrase or pick a topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinecare import names

RETRIEVAL_INTENTS = (
    names.ASK_EXERCISE_SAFETY,
    names.ASK_CONSERVATIVE_CARE,
    names.ASK_SURGERY,
    names.ASK_MRI_REVIEW,
)
OVERVIEW_TOPIC = "overview"
SPECIFIC_ACTIVITY = f"{names.ASK_EXERCISE_SAFETY}/specific_activity"
# Questions about one named activity are exercise or self-care questions to the classifier.
ACTIVITY_INTENTS = frozenset({names.ASK_EXERCISE_SAFETY, names.ASK_CONSERVATIVE_CARE})
# EXERCISE entities that name exercise in general, not one activity.
GENERAL_EXERCISE_WORDS = frozenset(
    {"exercise", "exercises", "stretch", "stretches", "stretching", "repetitions", "reps"}
    | {"core exercises", "workout", "workouts", "working out", "physical activity"}
)
# The classifier often confuses neighbouring retrieval intents ("how often should I put cold
# packs on my back": exercise safety, 1.0) where the selector, trained on the topics alone,
# is sure of the right topic (hot and cold, 0.98). A topic of another retrieval intent is
# taken only at or above this confidence, higher than the usual threshold.
CROSS_INTENT_MIN_CONFIDENCE = 0.8
# Below this intent confidence a question whose topic is unclear is not answered at all.
# The FallbackClassifier (config.yml) already turns intents under 0.4 into nlu_fallback; the
# blended intent confidence (addons/linear_classifiers.py) is flatter than DIET's alone, and
# a question told with a story ("I started physical therapy 2 weeks ago. How long does it
# usually take before it starts helping?") spreads it further: 0.46. On the seen first
# questions 0.45 answered six more (with the overview) and none on a wrong topic.
OVERVIEW_MIN_INTENT_CONFIDENCE = 0.45
# The intent is also clear when the answer selector puts this much of its confidence on that
# intent's topics together ("when doing bird dogs and bridges what should my form look like":
# exercise 0.42 to the classifier, posture 0.26 and four other exercise topics to the
# selector). On the seen first questions 0.6 answered four more and none on a wrong topic.
INTENT_MASS_MIN = 0.6
# A message the classifier gave up on is answered from the selector's best topic when that
# topic belongs to the classifier's best guess and the selector is this sure of it.
AGREED_TOPIC_MIN = 0.5


@dataclass(frozen=True)
class Choice:
    """The answer to give (`utter_action`) or, when `utter_action` is None, why not."""

    utter_action: str | None
    topic: str | None
    confidence: float


def overview_of(retrieval_intent: str) -> Choice:
    """The overview answer of a retrieval intent."""
    key = f"{retrieval_intent}/{OVERVIEW_TOPIC}"
    return Choice(f"utter_{key}", key, 1.0)


def selector_mass(selector_output: dict | None, retrieval_intent: str) -> float:
    """The answer selector's confidence in the topics of one retrieval intent, summed."""
    ranking = ((selector_output or {}).get("default") or {}).get("ranking") or []
    return sum(
        float(entry.get("confidence") or 0.0)
        for entry in ranking
        if str(entry.get("intent_response_key") or "").split("/", 1)[0] == retrieval_intent
    )


def answer_when_unsure(
    selector_output: dict | None,
    intent_ranking: list[dict] | None,
    threshold: float = 0.7,
    activities: list[str] | tuple[str, ...] = (),
    top: int = 3,
) -> Choice:
    """A message the classifier is unsure of (nlu_fallback) that is surely a guidance question.

    "Are there movements that can actually damage your spine more" splits the intent vote
    between surgery and exercise, so the FallbackClassifier gives up, while the answer
    selector is sure of the topic (wrong movements, 0.8). The topic is answered when the
    selector is at least CROSS_INTENT_MIN_CONFIDENCE sure of it and its intent is among the
    classifier's `top` guesses. Otherwise, when the selector puts at least INTENT_MASS_MIN
    on the topics of one of those guesses ("I really want to stay away from surgery, what
    else is out there"), that intent is answered as `choose_answer` would; otherwise nothing
    is answered and the person is asked to rephrase.
    """
    sure = _sure_topic(selector_output, intent_ranking, top)
    if sure.utter_action:
        return sure
    agreed = _agreed_topic(selector_output, intent_ranking, activities)
    if agreed.utter_action:
        return agreed
    guesses = [g for g in names.classifier_guesses(intent_ranking)[:top] if g in RETRIEVAL_INTENTS]
    if guesses:
        best = max(guesses, key=lambda guess: selector_mass(selector_output, guess))
        if selector_mass(selector_output, best) >= INTENT_MASS_MIN:
            return choose_answer(selector_output, best, threshold, activities=activities)
    return sure


def _selected(selector_output: dict | None) -> tuple[dict, str, float]:
    """The one ResponseSelector's choice across all topics: response, topic key, confidence."""
    response = ((selector_output or {}).get("default") or {}).get("response") or {}
    return (
        response,
        str(response.get("intent_response_key") or ""),
        float(response.get("confidence") or 0.0),
    )


def _selector_sure_of_a_topic(selector_output: dict | None) -> Choice:
    """The selector's topic when it is at least CROSS_INTENT_MIN_CONFIDENCE sure of it,
    whatever intent the classifier chose."""
    response, key, confidence = _selected(selector_output)
    if (
        key.split("/", 1)[0] in RETRIEVAL_INTENTS
        and confidence >= CROSS_INTENT_MIN_CONFIDENCE
        and response.get("utter_action")
    ):
        return Choice(response["utter_action"], key, confidence)
    return Choice(None, key or None, confidence)


def _sure_topic(
    selector_output: dict | None, intent_ranking: list[dict] | None, top: int
) -> Choice:
    sure = _selector_sure_of_a_topic(selector_output)
    guesses = names.classifier_guesses(intent_ranking)[:top]
    if sure.utter_action and str(sure.topic).split("/", 1)[0] in guesses:
        return sure
    return Choice(None, sure.topic, sure.confidence)


def _agreed_topic(
    selector_output: dict | None, intent_ranking: list[dict] | None, activities
) -> Choice:
    """The selector's best topic when it belongs to the classifier's best guess.

    "is it a big scar? I perform in a show on the Strip" splits the classifier between
    surgery (0.42) and exercise (0.41) while the selector, on its own, prefers the incision
    (0.53): two models agreeing on the intent is answer enough at AGREED_TOPIC_MIN. A named
    activity ("do I have to give up hot yoga??") with the selector leaning to the activity
    answer, which rules on no activity, gets that answer.
    """
    response, key, confidence = _selected(selector_output)
    guesses = names.classifier_guesses(intent_ranking)
    if not guesses or not response.get("utter_action") or key.split("/", 1)[0] != guesses[0]:
        return Choice(None, key or None, confidence)
    if confidence >= AGREED_TOPIC_MIN or (activities and key == SPECIFIC_ACTIVITY):
        return Choice(response["utter_action"], key, confidence)
    return Choice(None, key, confidence)


def activities_in(entities: list[dict] | None) -> list[str]:
    """The named activities of a message ("yoga", "the elliptical"), from its EXERCISE entities."""
    return [
        str(entity.get("value")).lower()
        for entity in entities or []
        if entity.get("entity") == names.EXERCISE
        and str(entity.get("value")).lower() not in GENERAL_EXERCISE_WORDS
    ]


def choose_answer(
    selector_output: dict | None,
    retrieval_intent: str,
    threshold: float,
    intent_confidence: float = 1.0,
    activities: list[str] | tuple[str, ...] = (),
) -> Choice:
    """The topic's answer if the selector is at least `threshold` sure, else the overview.

    One ResponseSelector serves every retrieval intent, so Rasa files its output under
    "default" (or under the intent's name when a selector is configured per intent). An
    answer from another retrieval intent than the one classified is given only when the
    selector is at least CROSS_INTENT_MIN_CONFIDENCE sure of it; otherwise the overview of
    the classified intent is, unless the intent itself is uncertain (below
    OVERVIEW_MIN_INTENT_CONFIDENCE to the classifier and below INTENT_MASS_MIN of the
    selector's confidence on its topics). A question naming one activity (`activities`)
    whose topic is unsure gets the specific-activity answer (the guidance rules on no
    activity, and that answer says so) unless the selector leans to another topic of the
    intent, when the overview, which holds the safety guidelines, is given.
    """
    output = selector_output or {}
    selected = output.get(retrieval_intent) or output.get("default") or {}
    response = selected.get("response") or {}
    confidence = float(response.get("confidence") or 0.0)
    key = response.get("intent_response_key")
    action = response.get("utter_action")
    key_intent = (key or "").split("/", 1)[0]
    belongs = key_intent == retrieval_intent
    if belongs and action and confidence >= threshold:
        return Choice(action, key, confidence)
    neighbour = key_intent in RETRIEVAL_INTENTS and retrieval_intent in RETRIEVAL_INTENTS
    if neighbour and action and confidence >= max(threshold, CROSS_INTENT_MIN_CONFIDENCE):
        return Choice(action, key, confidence)
    confident = (
        intent_confidence >= OVERVIEW_MIN_INTENT_CONFIDENCE
        or selector_mass(output, retrieval_intent) >= INTENT_MASS_MIN
    )
    # "the piriformis stretch pinches, should I stop?" names an activity but asks about pain:
    # the activity answer only when the selector leans to it or to no topic of this intent.
    about_activity = key == SPECIFIC_ACTIVITY or not belongs
    if activities and retrieval_intent in ACTIVITY_INTENTS and confident and about_activity:
        return Choice(f"utter_{SPECIFIC_ACTIVITY}", SPECIFIC_ACTIVITY, confidence)
    if retrieval_intent in RETRIEVAL_INTENTS and confident:
        overview = overview_of(retrieval_intent)
        return Choice(overview.utter_action, overview.topic, confidence)
    return Choice(None, key, confidence)


# Medicine named in a request for personal advice ("can y'all prescribe me something?
# Tylenol isn't cutting it": held-out set 22). The general answer behind it is the
# guidance on medication as part of a doctor's plan, which names no medicine or dose.
_MEDICINE_RE = re.compile(
    r"\b(?:prescri\w*|medicine|medicines|medication|medications|meds|pills?|tablets?|"
    r"painkillers?|pain killers?|dose|doses|dosage|mg|tylenol|advil|aleve|motrin|ibuprofen|"
    r"naproxen|acetaminophen|paracetamol|aspirin|gabapentin|neurontin|lyrica|pregabalin|"
    r"meloxicam|prednisone|steroids?|muscle relaxers?|flexeril|cyclobenzaprine|tramadol|"
    r"oxycodone|hydrocodone|norco|percocet|opioids?|otc|over the counter)\b",
    re.IGNORECASE,
)
MEDICATION_TOPIC = f"{names.ASK_CONSERVATIVE_CARE}/medication_and_plan"


def general_answer_behind_advice(selector_output: dict | None, text: str | None) -> Choice:
    """The clinic's general answer on what a request for personal advice is about, if any.

    "At what point is sciatica bad enough to need an operation?" asks for a judgement on
    the person, which the assistant declines; the guidance still has a general answer (when
    surgery is considered), and a bare refusal leaves the person with nothing. The answer
    selector must be CROSS_INTENT_MIN_CONFIDENCE sure of the topic; a message naming a
    medicine gets the guidance on medication as part of the doctor's plan.
    """
    sure = _selector_sure_of_a_topic(selector_output)
    if sure.utter_action is None and text and _MEDICINE_RE.search(text):
        return Choice(f"utter_{MEDICATION_TOPIC}", MEDICATION_TOPIC, 1.0)
    return sure


def question_behind_override(message: dict | None, threshold: float) -> Choice:
    """The answer to a guidance question the safety net's urgent finding stood in front of.

    "I've done 4 months of PT and two shots and I'm still hurting. When does surgery become
    the answer?" is an urgent sign to the safety net (no improvement), which makes the
    intent `report_urgent_symptom`; the classifiers' own ranking stays under it (surgery,
    0.89). The person gets the see-a-doctor-soon advice and then, when the classifiers'
    best guess is a guidance question they are at least OVERVIEW_MIN_INTENT_CONFIDENCE
    sure of, its answer as `choose_answer` picks it. Otherwise no answer (utter_action None).
    """
    message = message or {}
    ranking = [
        entry
        for entry in message.get("intent_ranking") or []
        if entry.get("name") not in (names.NLU_FALLBACK, names.REPORT_URGENT_SYMPTOM)
    ]
    if not ranking or ranking[0].get("name") not in RETRIEVAL_INTENTS:
        return Choice(None, None, 0.0)
    confidence = float(ranking[0].get("confidence") or 0.0)
    if confidence < OVERVIEW_MIN_INTENT_CONFIDENCE:
        return Choice(None, None, confidence)
    return choose_answer(
        message.get("response_selector"),
        str(ranking[0]["name"]),
        threshold,
        intent_confidence=confidence,
        activities=activities_in(message.get("entities")),
    )


_OFFER_RE = re.compile(
    r"\s*If you'd like, I can start a no-cost MRI review request(?: right here)?\.", re.IGNORECASE
)


def without_the_offer(text: str) -> str:
    """The answer without its closing offer to start a request, for patients already in one."""
    return _OFFER_RE.sub("", text).strip()
