"""Choosing a clinic answer, or declining to guess when the selector is unsure."""

from spinecare.answers import choose_answer


def selector(confidence: float, key: str = "ask_surgery/recovery", under: str = "default") -> dict:
    return {
        under: {
            "response": {
                "confidence": confidence,
                "intent_response_key": key,
                "utter_action": f"utter_{key}",
            }
        }
    }


def test_confident_answer_is_given():
    choice = choose_answer(selector(0.9), "ask_surgery", threshold=0.5)
    assert choice.utter_action == "utter_ask_surgery/recovery"
    assert choice.topic == "ask_surgery/recovery"


def test_unsure_answer_is_not_guessed():
    choice = choose_answer(selector(0.3), "ask_surgery", threshold=0.5)
    assert choice.utter_action is None
    assert choice.confidence == 0.3


def test_missing_selector_output_is_not_guessed():
    assert choose_answer(None, "ask_surgery", 0.5).utter_action is None
    assert choose_answer({}, "ask_surgery", 0.5).utter_action is None
    assert choose_answer(selector(0.9), "ask_exercise_safety", 0.5).utter_action is None


def test_selector_configured_per_intent_is_read_too():
    choice = choose_answer(selector(0.9, under="ask_surgery"), "ask_surgery", 0.5)
    assert choice.utter_action == "utter_ask_surgery/recovery"


def test_answer_from_another_retrieval_intent_is_not_given():
    choice = choose_answer(selector(0.9, key="ask_mri_review/cost"), "ask_surgery", 0.5)
    assert choice.utter_action is None
