"""The project's spaCy pipeline: built from the repo, patterns survive initialisation."""

from __future__ import annotations

import pytest
import spacy

from spinecare.nlp import build


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    path = tmp_path_factory.mktemp("spacy") / "en_spinecare"
    assert build.build(path, force=True)
    return spacy.load(path)


def ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_pipeline_has_the_expected_components(nlp):
    assert nlp.pipe_names == ["lemmatizer", "entity_ruler"]
    assert nlp.lang == "en"


def test_every_pattern_survives_initialize(nlp):
    ruler = nlp.get_pipe("entity_ruler")
    assert len(ruler.patterns) == len(build.load_patterns()) > 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My LOWER BACK hurts", ("LOWER BACK", "BODY_PART")),
        ("numbness in my left leg", ("numbness", "SYMPTOM")),
        ("I tried Physical Therapy", ("Physical Therapy", "TREATMENT")),
        ("is Yoga ok?", ("Yoga", "EXERCISE")),
        ("I had an mri last year", ("mri", "IMAGING")),
        ("pins and needles in my FEET", ("pins and needles", "SYMPTOM")),
    ],
)
def test_domain_entities_are_found_case_insensitively(nlp, text, expected):
    assert expected in ents(nlp, text)


def test_longest_match_wins(nlp):
    assert ("minimally invasive spine surgery", "TREATMENT") in ents(
        nlp, "what is minimally invasive spine surgery"
    )


def test_lookup_lemmatizer_gives_lemmas(nlp):
    assert [t.lemma_ for t in nlp("legs hurts stretches")] == ["leg", "hurt", "stretch"]


def test_rebuild_is_skipped_when_sources_unchanged(tmp_path):
    path = tmp_path / "p"
    assert build.build(path) is True
    assert build.is_current(path)
    assert build.build(path) is False
