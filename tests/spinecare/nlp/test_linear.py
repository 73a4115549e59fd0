"""The linear classifier and its blend with another ranking, without Rasa."""

from __future__ import annotations

import pytest
import skops.io as sio

from spinecare.nlp import linear

TEXTS = [
    "is walking ok with sciatica", "can i swim with a bad back", "is yoga safe for sciatica",
    "heat or ice for my back", "should i use a heating pad", "do cold packs help sciatica",
    "hello there", "hi", "good morning",
]  # fmt: skip
LABELS = ["exercise"] * 3 + ["hot_cold"] * 3 + ["greet"] * 3


@pytest.fixture(scope="module")
def model():
    return linear.fit(TEXTS, LABELS)


def test_unseen_wording_and_typos_share_the_training_words_n_grams(model):
    probs = linear.probabilities(model, "is swiming ok w sciatica")
    assert max(probs, key=probs.get) == "exercise"
    probs = linear.probabilities(model, "ice pack or heating pad??")
    assert max(probs, key=probs.get) == "hot_cold"
    assert sum(probs.values()) == pytest.approx(1.0)


def test_the_blend_weighs_both_votes_and_keeps_labels_only_one_side_knows():
    blended = linear.blend([("a", 0.9), ("c", 0.1)], {"a": 0.2, "b": 0.8}, weight=0.7)
    assert blended[0] == ("b", pytest.approx(0.56))
    assert dict(blended) == pytest.approx({"a": 0.41, "b": 0.56, "c": 0.03})


def test_a_saved_model_loads_and_predicts_the_same(model, tmp_path):
    linear.save(model, tmp_path / "m.skops")
    loaded = linear.load(tmp_path / "m.skops")
    assert linear.probabilities(loaded, "hello") == linear.probabilities(model, "hello")


def test_a_model_file_holding_other_types_is_refused(tmp_path):
    sio.dump({"payload": linear.UntrustedModelFile("x")}, tmp_path / "evil.skops")
    with pytest.raises(linear.UntrustedModelFile):
        linear.load(tmp_path / "evil.skops")


def test_one_label_is_not_a_classifier():
    with pytest.raises(ValueError):
        linear.fit(["a b", "c d"], ["x", "x"])


def test_loading_a_model_leaves_the_log_level_as_it_was(tmp_path):
    """skops sets the root logger to WARNING on import; the Rasa server's INFO lines vanished."""
    import logging
    import subprocess
    import sys

    code = (
        "import logging, pathlib, sys\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from spinecare.nlp import linear\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "linear.save(linear.fit(['aa bb', 'cc dd'], ['x', 'y']), path)\n"
        "linear.load(path)\n"
        "print(logging.getLogger().level)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "m.skops")],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.split()[-1] == str(logging.INFO)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("I lift boxes all day at the warehouse. My back hurts. Is yoga safe for me?",
         "Is yoga safe for me?"),
        ("hi. so my story is long and my doctor said rest. how do I stop it coming back",
         "how do I stop it coming back"),
        ("is yoga safe for sciatica", None),  # one sentence: nothing to focus on
        ("My back hurts. My leg hurts too.", None),  # no question in it
    ],
)  # fmt: skip
def test_the_question_of_a_story_is_found(text, part):
    assert linear.question_part(text) == part


def test_the_question_sentence_gets_a_share_of_the_vote(model):
    story = (
        "hello there, good morning. hi, i was at the hospital with a cold pack and a heating "
        "pad all week. anyway. is walking ok with sciatica?"
    )
    row = model.predict_proba([story])[0]
    whole = dict(zip(model.classes_, row, strict=True))
    focused = linear.probabilities(model, story)
    assert focused["exercise"] > whole["exercise"]
    assert sum(focused.values()) == pytest.approx(1.0)
