"""Choosing a clinic answer: the topic, the intent's overview, or none when the intent is unsure."""

from spinecare.answers import (
    activities_in,
    answer_when_unsure,
    choose_answer,
    general_answer_behind_advice,
    question_behind_override,
)


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


def test_an_unsure_topic_of_a_clear_intent_gets_the_overview():
    choice = choose_answer(selector(0.3), "ask_surgery", threshold=0.5, intent_confidence=0.99)
    assert choice.utter_action == "utter_ask_surgery/overview"
    assert choice.confidence == 0.3


def test_an_unsure_topic_of_an_unsure_intent_is_not_guessed():
    choice = choose_answer(selector(0.3), "ask_surgery", threshold=0.5, intent_confidence=0.42)
    assert choice.utter_action is None


def test_missing_selector_output_gives_the_overview_of_a_clear_intent():
    assert choose_answer(None, "ask_surgery", 0.5).utter_action == "utter_ask_surgery/overview"
    assert choose_answer({}, "ask_surgery", 0.5, intent_confidence=0.42).utter_action is None
    other = choose_answer(selector(0.7), "ask_exercise_safety", 0.5)
    assert other.utter_action == "utter_ask_exercise_safety/overview"


def test_a_named_activity_with_an_unsure_topic_gets_the_activity_answer():
    entities = [{"entity": "EXERCISE", "value": "stationary bike"},
                {"entity": "EXERCISE", "value": "exercise"}]  # fmt: skip
    assert activities_in(entities) == ["stationary bike"]
    choice = choose_answer(selector(0.2), "ask_conservative_care", 0.5, activities=["golf"])
    assert choice.utter_action == "utter_ask_exercise_safety/specific_activity"
    sure = choose_answer(selector(0.9, key="ask_conservative_care/hot_cold"),
                         "ask_conservative_care", 0.5, activities=["golf"])  # fmt: skip
    assert sure.utter_action == "utter_ask_conservative_care/hot_cold"


def test_selector_configured_per_intent_is_read_too():
    choice = choose_answer(selector(0.9, under="ask_surgery"), "ask_surgery", 0.5)
    assert choice.utter_action == "utter_ask_surgery/recovery"


def test_an_unsure_answer_from_another_retrieval_intent_is_not_given():
    choice = choose_answer(selector(0.7, key="ask_mri_review/cost"), "ask_surgery", 0.5)
    assert choice.utter_action == "utter_ask_surgery/overview"


def test_a_sure_answer_from_a_neighbouring_retrieval_intent_is_given():
    # "how often should you put cold packs on a sore lower back": exercise safety to the
    # classifier, hot and cold (0.98) to the selector.
    key = "ask_conservative_care/hot_cold"
    choice = choose_answer(selector(0.98, key=key), "ask_exercise_safety", 0.5)
    assert choice.utter_action == f"utter_{key}"
    assert choice.topic == key


def unsure_ranking(*names_and_scores):
    return [{"name": "nlu_fallback", "confidence": 0.4}] + [
        {"name": n, "confidence": c} for n, c in names_and_scores
    ]


def test_an_unsure_message_gets_the_topic_the_selector_is_sure_of():
    """Seen held-out question: the intent vote split between surgery and exercise."""
    output = selector(0.81, key="ask_exercise_safety/wrong_movements")
    ranking = unsure_ranking(("ask_surgery", 0.35), ("ask_exercise_safety", 0.28))
    choice = answer_when_unsure(output, ranking)
    assert choice.utter_action == "utter_ask_exercise_safety/wrong_movements"


def test_an_unsure_message_is_not_answered_on_a_weak_or_unconsidered_topic():
    ranking = unsure_ranking(("ask_surgery", 0.35), ("ask_exercise_safety", 0.28))
    weak = selector(0.6, key="ask_exercise_safety/wrong_movements")
    assert answer_when_unsure(weak, ranking).utter_action is None
    unconsidered = selector(0.95, key="ask_mri_review/cost")
    assert answer_when_unsure(unconsidered, ranking).utter_action is None
    assert answer_when_unsure(None, ranking).utter_action is None


def ranked_selector(*keys_and_scores) -> dict:
    top_key, top_score = keys_and_scores[0]
    output = selector(top_score, key=top_key)
    output["default"]["ranking"] = [
        {"intent_response_key": key, "confidence": score} for key, score in keys_and_scores
    ]
    return output


def test_an_unsure_intent_is_clear_when_the_selector_backs_its_topics():
    """Held-out set 6: "when doing bird dogs and bridges what should my form look like"."""
    backed = ranked_selector(("ask_exercise_safety/posture", 0.35),
                             ("ask_exercise_safety/pain_during_exercise", 0.2),
                             ("ask_exercise_safety/how_far_to_push", 0.1))  # fmt: skip
    choice = choose_answer(backed, "ask_exercise_safety", 0.7, intent_confidence=0.42)
    assert choice.utter_action == "utter_ask_exercise_safety/overview"
    spread = ranked_selector(("ask_exercise_safety/posture", 0.35),
                             ("ask_surgery/recovery", 0.3))  # fmt: skip
    assert (
        choose_answer(spread, "ask_exercise_safety", 0.7, intent_confidence=0.42).utter_action
        is None
    )


def test_an_unsure_message_gets_the_overview_the_selector_backs():
    """Held-out set 6: "I really want to stay away from surgery. What else is out there?"."""
    backed = ranked_selector(("ask_conservative_care/overview", 0.64),
                             ("ask_exercise_safety/wrong_movements", 0.08))  # fmt: skip
    ranking = unsure_ranking(("ask_exercise_safety", 0.39), ("ask_conservative_care", 0.37))
    assert (
        answer_when_unsure(backed, ranking).utter_action == "utter_ask_conservative_care/overview"
    )
    not_considered = unsure_ranking(("ask_exercise_safety", 0.39), ("greet", 0.3))
    assert answer_when_unsure(backed, not_considered).utter_action is None


def test_a_named_activity_with_a_question_about_pain_gets_the_overview():
    """Held-out set 7: "Doing the piriformis stretch and it kinda pinches, should I stop?"."""
    leaning = selector(0.45, key="ask_exercise_safety/pain_during_exercise")
    choice = choose_answer(leaning, "ask_exercise_safety", 0.7, activities=["piriformis stretch"])
    assert choice.utter_action == "utter_ask_exercise_safety/overview"
    on_activity = selector(0.45, key="ask_exercise_safety/specific_activity")
    choice = choose_answer(on_activity, "ask_exercise_safety", 0.7, activities=["yoga"])
    assert choice.utter_action == "utter_ask_exercise_safety/specific_activity"


def test_a_question_told_with_a_story_gets_the_overview_of_its_intent():
    # "I started physical therapy 2 weeks ago. How long does it usually take before it starts
    # helping?" (set 8): self-care to the classifier at 0.46, no topic sure.
    pt = selector(0.27, "ask_conservative_care/physical_therapy")
    choice = choose_answer(pt, "ask_conservative_care", 0.7, intent_confidence=0.46)
    assert choice.utter_action == "utter_ask_conservative_care/overview"


def test_an_unsure_message_gets_the_topic_both_models_lean_to():
    """Held-out set 14: "is it a big scar? I perform in a show on the Strip" was refused."""
    ranking = unsure_ranking(("ask_surgery", 0.42), ("ask_exercise_safety", 0.41))
    leaning = selector(0.53, key="ask_surgery/incision_size")
    assert answer_when_unsure(leaning, ranking).utter_action == "utter_ask_surgery/incision_size"
    # The selector's topic must belong to the classifier's best guess, and be half sure.
    assert (
        answer_when_unsure(selector(0.53, key="ask_exercise_safety/posture"), ranking).utter_action
        is None
    )
    assert (
        answer_when_unsure(selector(0.45, key="ask_surgery/incision_size"), ranking).utter_action
        is None
    )


def test_an_unsure_message_naming_an_activity_gets_the_activity_answer_the_selector_leans_to():
    """Held-out set 14: "I do hot yoga 3x a week ... do I have to give up yoga??" was refused."""
    ranking = unsure_ranking(("ask_exercise_safety", 0.36), ("ask_conservative_care", 0.17))
    leaning = selector(0.22, key="ask_exercise_safety/specific_activity")
    choice = answer_when_unsure(leaning, ranking, activities=["hot yoga"])
    assert choice.utter_action == "utter_ask_exercise_safety/specific_activity"
    assert answer_when_unsure(leaning, ranking).utter_action is None


def test_a_question_behind_an_urgent_sign_is_answered_when_the_classifier_is_sure_of_it():
    """Held-out set 14: "4 months of PT and two shots and I'm still hurting. When does
    surgery become the answer?" got only the see-a-doctor-soon advice."""
    message = {
        "intent": {"name": "report_urgent_symptom", "confidence": 1.0},
        "intent_ranking": [
            {"name": "report_urgent_symptom", "confidence": 1.0},
            {"name": "ask_surgery", "confidence": 0.89},
            {"name": "ask_conservative_care", "confidence": 0.01},
        ],
        "response_selector": selector(0.43, key="ask_surgery/when_to_consider"),
    }
    choice = question_behind_override(message, 0.7)
    assert choice.utter_action == "utter_ask_surgery/overview"
    message["response_selector"] = selector(0.75, key="ask_surgery/when_to_consider")
    choice = question_behind_override(message, 0.7)
    assert choice.utter_action == "utter_ask_surgery/when_to_consider"
    # A symptom told with no question behind it gets the advice alone.
    message["intent_ranking"][1:] = [
        {"name": "inform", "confidence": 0.7},
        {"name": "ask_surgery", "confidence": 0.2},
    ]
    assert question_behind_override(message, 0.7).utter_action is None
    assert question_behind_override({}, 0.7).utter_action is None


def test_advice_declined_on_a_topic_the_selector_is_sure_of_gets_its_general_answer():
    """Held-out set 22: "At what point is sciatica bad enough to need an operation?"."""
    choice = general_answer_behind_advice(selector(0.88, "ask_surgery/when_to_consider"), "x")
    assert choice.utter_action == "utter_ask_surgery/when_to_consider"


def test_advice_naming_a_medicine_gets_the_guidance_on_medication_in_a_plan():
    """Held-out set 22: "can y'all prescribe me something? Tylenol isn't cutting it"."""
    text = "can you prescribe me something stronger, the advil does nothing"
    choice = general_answer_behind_advice(selector(0.2, "ask_exercise_safety/overview"), text)
    assert choice.utter_action == "utter_ask_conservative_care/medication_and_plan"


def test_advice_on_nothing_the_guidance_covers_gets_no_answer():
    choice = general_answer_behind_advice(selector(0.5), "is my disc herniated")
    assert choice.utter_action is None
    assert general_answer_behind_advice(None, None).utter_action is None
