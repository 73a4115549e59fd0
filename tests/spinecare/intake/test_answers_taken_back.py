"""Answers changed, taken back or added to, inside the answer or at a later question.

Each case is a miss of held-out set 16 or 17 (round 10).
"""

from __future__ import annotations

import pytest

from spinecare.intake.checks import check_answer
from spinecare.intake.corrections import Correction, find_correction, treatments_with_added

GIVEN = {"full_name": "Mei-Ling Chen", "first_name": "Mei-Ling", "last_name": "Chen",
         "treatments_tried": ["physical_therapy", "injections", "medication"],
         "zip_code": "25601", "best_time": "morning", "contact_method": "text"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "no MRI yet, well actually yes they did one last month at Newman",
        "not yet... oh wait yes, the hospital did one when I went to the ER in October",
    ],
)
def test_a_no_changed_to_yes_inside_the_answer_is_a_yes(text):
    assert check_answer("has_mri", text) == {"has_mri": True}


def test_a_yes_changed_to_no_inside_the_answer_is_a_no():
    assert check_answer("has_mri", "yes I think, hmm actually no that was a CT") == {
        "has_mri": False
    }


def test_a_time_ruled_out_by_work_leaves_the_time_chosen():
    text = "actually mornings im at work cleaning the school, do evening"
    assert check_answer("best_time", text) == {"best_time": "evening"}


def test_a_name_respelled_at_the_next_question_is_a_name_correction_not_a_no():
    """ "no dash" at "are you 18 or older?" threw the whole request away as a minor's."""
    text = "sorry, it's Meiling, one word, no dash"
    assert find_correction(text, GIVEN, "adult") == Correction("first_name", "Meiling")
    assert find_correction("sorry, it's yes", GIVEN, "adult") is None


def test_a_best_time_changed_at_the_summary_is_a_correction():
    text = "actually mornings im at work cleaning the school, do evening"
    found = find_correction(text, GIVEN, "summary_confirmed")
    assert found is not None and found.field == "best_time"
    assert check_answer("best_time", found.value) == {"best_time": "evening"}


def test_a_zip_taken_back_with_a_reason_is_corrected():
    text = "zip is wrong, thats the bus garage. home is 25635"
    assert find_correction(text, GIVEN, "contact_method") == Correction("zip_code", "25635")


def test_a_treatment_remembered_later_is_added_to_those_given():
    text = "oh and I forgot, also chiropractor few times"
    found = find_correction(text, GIVEN, "phone")
    assert found == Correction("treatments_tried", text, adds=True)
    added = check_answer("treatments_tried", found.value)["treatments_tried"]
    assert treatments_with_added(GIVEN["treatments_tried"], added) == [
        "physical_therapy", "medication", "injections", "chiropractic"
    ]  # fmt: skip
    assert find_correction("no I didn't, also no surgery", GIVEN, "email") is None
    assert find_correction("also physical therapy", GIVEN, "email") is None


def test_none_gives_way_to_a_treatment_added_later():
    assert treatments_with_added(["none"], ["chiropractic", "other: forgot"]) == ["chiropractic"]


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("has_mri", "Hello, I need the no cost MRI review. I clean offices at night",
         {"has_mri": True}),
        ("zip_code", "97041 sorry 97401", {"zip_code": "97401", "state": "OR"}),
        ("adult", "last I checked", {"adult": True}),
        ("best_time", "afternoon because I sleep in the morning", {"best_time": "afternoon"}),
        ("email", "j b pierre louis all one word at sign example dot org",
         {"email": "jbpierrelouis@example.org"}),
        ("email", "rosalie dot twobulls at sign example dot net",
         {"email": "rosalie.twobulls@example.net"}),
    ],
)  # fmt: skip
def test_set_17_answers_read_as_meant(field, text, expected):
    assert check_answer(field, text) == expected


@pytest.mark.parametrize(
    ("text", "pending", "expected"),
    [
        ("mejor llamada, call me better, I don't read texts much", "best_time",
         Correction("contact_method", "call")),
        ("Oh dear, I gave you my late husband's number out of habit. Mine is 406-555-0132.",
         "email", Correction("phone", "+14065550132")),
    ],
)  # fmt: skip
def test_set_17_corrections_at_a_later_question(text, pending, expected):
    given = {**GIVEN, "phone": "+14065550131", "contact_method": "text"}
    assert find_correction(text, given, pending) == expected
