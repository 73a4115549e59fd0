"""The scripted-patient driver against a fake assistant: it answers what is asked, as a patient."""

from __future__ import annotations

from spinecare.patients import Patient, asked_slot, field_mismatches, run_patient
from spinecare.scenarios import Reply

QUESTIONS = {"What is your name?": "full_name", "Your phone?": "phone",
             "I want to make sure you're safe.": "safety_screen"}  # fmt: skip


def reply(text: str, buttons=()) -> Reply:
    return Reply([{"text": text, "buttons": [{"title": b} for b in buttons]}])


def fake_bot(script):
    """Replies from a list, recording what the patient typed."""
    said = []

    def say(text):
        said.append(text)
        return script[len(said) - 1]

    return say, said


PATIENT = Patient(
    id="p", opening="hi", answers={"full_name": "jo ann lee", "phone": "555 123 4567"},
    expect={"first_name": "Jo", "phone": "+15551234567"}, screen_answer="nope",
    question_before={"field": "phone", "say": "is this free?"},
)  # fmt: skip


def test_the_patient_answers_asks_its_question_and_answers_the_screen():
    say, said = fake_bot([
        reply("Hi", buttons=["Start a no-cost MRI review"]),
        reply("What is your name?"),
        reply("I want to make sure you're safe."),
        reply("Your phone?"),
        reply("It's free. Your phone?"),
        reply("Thanks. Your reference is MRI-ABCD-12."),
    ])  # fmt: skip
    outcome = run_patient(PATIENT, say, QUESTIONS)
    assert said == ["hi", "/request_mri_review", "jo ann lee", "nope", "is this free?",
                    "555 123 4567"]  # fmt: skip
    assert outcome.completed and outcome.reference == "MRI-ABCD-12" and outcome.screens == 1


def test_the_patient_gives_up_on_the_same_question_asked_again_and_again():
    say, _ = fake_bot([reply("What is your name?")] * 10)
    outcome = run_patient(PATIENT, say, QUESTIONS)
    assert not outcome.completed and "asked full_name" in outcome.failure


def test_a_request_thrown_away_is_a_failure():
    say, _ = fake_bot([reply("What is your name?"), reply("Okay, nothing from it was saved.")])
    outcome = run_patient(PATIENT, say, QUESTIONS)
    assert outcome.failure == "request thrown away"


def test_the_last_question_of_a_reply_is_the_one_asked():
    both = Reply([{"text": "What is your name?"}, {"text": "Thanks. Your phone?"}])
    assert asked_slot(both, QUESTIONS) == "phone"


def test_stored_fields_compared_as_the_patient_meant_them():
    row = {"first_name": "Jo Ann", "phone": "+15551234567"}
    assert field_mismatches(row, PATIENT.expect) == []
    assert field_mismatches({**row, "phone": "+15550000000"}, PATIENT.expect)


def test_a_generational_suffix_kept_with_the_last_name_is_what_was_meant():
    assert field_mismatches({"last_name": "Greene Jr"}, {"last_name": "Greene"}) == []
    assert field_mismatches({"last_name": "Greene III"}, {"last_name": "Greene"}) == []
    assert field_mismatches({"last_name": "Greene Smith"}, {"last_name": "Greene"})
    assert field_mismatches({"last_name": "Greene"}, {"last_name": "Greene Jr"})
