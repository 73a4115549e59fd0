"""Which stored events the forget marker redacts."""

from __future__ import annotations

from spinecare.conversations import forget_marker, redact

NAME = "Maria Quixley"


def user(text, intent="inform"):
    return {"event": "user", "text": text, "metadata": {"spinecare_client": {"ip_hash": "h"}},
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                           "entities": [{"entity": "SYMPTOM", "value": "calf pain"}],
                           "response_selector": {"x": {"response": {"responses": [text]}}}},
            }  # fmt: skip


def bot(text):
    return {"event": "bot", "text": text, "data": {"buttons": [{"title": text}]},
            "metadata": {"utter_action": "utter_ask_full_name"}}  # fmt: skip


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def loop(name):
    return {"event": "active_loop", "name": name}


def test_everything_typed_or_echoed_since_activation_is_blanked():
    before = user("what is sciatica?", "ask_question")
    events = [before, user("MRI please", "request_mri_review"), loop("mri_review_form"),
              bot("What is your name?"), user(NAME), slot("full_name", NAME),
              slot("requested_slot", "adult"), bot(f"Here is what I have: {NAME}"),
              loop(None), slot("full_name", None), forget_marker("mri_review_form"),
              slot("last_reference", "MRI-1")]  # fmt: skip
    redacted = redact(events)
    assert NAME not in str(redacted[2:])
    assert redacted[0] == before and redacted[1] == events[1]
    assert redacted[4]["parse_data"]["intent"]["name"] == "inform"  # for the policies
    assert redacted[4]["parse_data"]["entities"] == [{"entity": "SYMPTOM"}]
    assert redacted[6]["value"] == "adult"  # which question, not an answer
    assert redacted[7]["metadata"] == {"utter_action": "utter_ask_full_name"}
    assert redacted[-1]["value"] == "MRI-1"  # after the marker: kept
    assert NAME in str(events)  # the input is not changed
    assert redact(redacted) == redacted


def test_a_marker_without_its_form_since_the_last_marker_forgets_nothing():
    events = [loop("mri_review_form"), user(NAME), forget_marker("mri_review_form"),
              user("I can't feel my legs", "report_red_flag"),
              forget_marker("mri_review_form"), forget_marker("callback_form")]  # fmt: skip
    redacted = redact(events)
    assert NAME not in str(redacted[:3])
    assert redacted[3] == events[3]
