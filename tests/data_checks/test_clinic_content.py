"""Clinic content: every answer traceable to the reviewed guidance, none giving emergency advice."""

from __future__ import annotations

import re

import pytest
import yaml

from spinecare import settings

ROOT = settings.PROJECT_ROOT
GUIDANCE = ROOT.parent / "shared" / "clinic" / "sciatica-exercise-guidance.txt"
ANSWERS = yaml.safe_load((ROOT / "data" / "responses" / "clinic_guidance.yml").read_text())[
    "responses"
]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
DOSE = re.compile(r"\b\d+\s*(mg|milligrams?|ml|tablets?|pills?)\b", re.IGNORECASE)

# Reviewed sentences that add no medical fact: referrals to the person's own clinicians,
# offers of the MRI review request, and what the assistant cannot tell. Any other
# sentence of an answer must restate one of the answer's guidance quotes.
FRAMING = [
    re.compile(pattern)
    for pattern in (
        r"^Please check with your doctor(?: or therapist)? (?:about|before|if) [^.]{0,50}\.$",
        r"^That's why it's best to follow a plan made with your doctor or therapist\.$",
        r"^If you'd like, I can start a (?:no-cost MRI review )?request(?: right here)?\.$",
        r"^I can't advise on specific medicines or doses, so please check with your doctor\.$",
        r"^I can't tell that from a chat\.$",
        r"^Your surgeon can tell you what to expect in your own case\.$",
        r"^The clinic's guidance doesn't rule on specific activities, so I can't tell you "
        r"whether a particular one is right for you\.$",
        r"^Which activities fit your plan is for your doctor or physical therapist to say\.$",
        r'^Just say "request an MRI review"\.$',
        r"^I can collect a few details right here and a consultant will contact you\.$",
        r"^A Spine Care Consultant will tell you whether your MRI can be used or a newer one is "
        r"needed\.$",
        r"^If you haven't had an MRI yet, I can still take your details so a consultant can call "
        r"you about next steps\.$",
    )
]
# A sentence restates a quote when this share of its content words (crudely stemmed)
# appears in the answer's quotes: paraphrase in plain words is allowed, new facts are not.
MIN_SUPPORT = 0.4
STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be",
    "it", "its", "it's", "this", "that", "these", "those", "you", "your", "i", "i'm", "can",
    "may", "if", "as", "at", "by", "from", "not", "don't", "doesn't", "do", "does", "so",
    "than", "then", "also", "just", "more", "most", "very", "about", "into", "one", "our",
    "we", "us", "they", "them", "their", "there", "here", "what", "which", "who", "how",
    "when", "why", "will", "would", "should", "could",
})  # fmt: skip


def normalise(text: str) -> str:
    return " ".join(text.split())


def all_reply_texts() -> list[tuple[str, str]]:
    texts = [(name, v["text"]) for name, vs in ANSWERS.items() for v in vs]
    texts += [(name, v["text"]) for name, vs in DOMAIN["responses"].items() for v in vs]
    return texts


def test_at_least_twelve_topics_across_the_four_retrieval_intents():
    intents = {name.removeprefix("utter_").split("/")[0] for name in ANSWERS}
    assert intents == {
        "ask_exercise_safety",
        "ask_conservative_care",
        "ask_surgery",
        "ask_mri_review",
    }
    assert len(ANSWERS) >= 12


def quotes_of(name: str) -> list[str]:
    (variant,) = ANSWERS[name]
    quotes = variant["metadata"]["guidance"]
    return [quotes] if isinstance(quotes, str) else list(quotes)


def sentences(text: str) -> list[str]:
    """Sentences and list items of an answer."""
    found = []
    for line in text.splitlines():
        line = line.strip().removeprefix("-").strip()
        found += [part.strip() for part in re.split(r"(?<=[.!?])\s+", line) if part.strip()]
    return found


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'"))
    return [_stem(word) for word in words if word not in STOPWORDS]


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_answer_cites_sentences_of_the_guidance(name):
    guidance = normalise(GUIDANCE.read_text(encoding="utf-8"))
    for quote in quotes_of(name):
        assert normalise(quote) in guidance, f"{name}: {quote!r} not found verbatim"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_sentence_of_an_answer_restates_its_quotes_or_is_reviewed_framing(name):
    quoted = {word for quote in quotes_of(name) for word in content_words(quote)}
    (variant,) = ANSWERS[name]
    for sentence in sentences(variant["text"]):
        if any(pattern.match(sentence) for pattern in FRAMING):
            continue
        words = content_words(sentence)
        support = sum(word in quoted for word in words) / max(1, len(words))
        assert support >= MIN_SUPPORT, f"{name}: {sentence!r} rests on no quote ({support:.2f})"


def test_the_check_catches_a_sentence_the_guidance_does_not_say():
    quoted = set(content_words(quotes_of("utter_ask_exercise_safety/overview")[0]))
    invented = "Walking for thirty minutes a day cures sciatica in most people."
    words = content_words(invented)
    assert sum(word in quoted for word in words) / len(words) < MIN_SUPPORT
    assert not any(pattern.match(invented) for pattern in FRAMING)


def test_every_retrieval_intent_has_an_overview_answer():
    intents = {name.removeprefix("utter_").split("/")[0] for name in ANSWERS}
    assert {f"utter_{intent}/overview" for intent in intents} <= set(ANSWERS)


def test_activity_answers_give_no_yes_or_no():
    (variant,) = ANSWERS["utter_ask_exercise_safety/specific_activity"]
    text = variant["text"]
    assert not re.match(r"^(yes|no)\b", text, re.IGNORECASE)
    assert "doctor or physical therapist" in text


def test_every_trained_topic_has_an_answer_and_every_answer_a_topic():
    nlu = yaml.safe_load((ROOT / "data" / "nlu" / "questions.yml").read_text())["nlu"]
    topics = {block["intent"] for block in nlu if "/" in block["intent"]}
    assert {name.removeprefix("utter_") for name in ANSWERS} == topics


def test_only_the_greeting_disclaimer_mentions_911():
    mentions = [name for name, text in all_reply_texts() if "911" in text]
    assert mentions == ["utter_disclaimer"]


def test_no_reply_suggests_a_dose():
    assert [name for name, text in all_reply_texts() if DOSE.search(text)] == []
