"""The no-cost MRI review intake over the real REST channel, read back through the real CLI."""

from __future__ import annotations

import pytest

from spinecare.scenarios import RestConversation
from tests.support.intake import HAPPY_ANSWERS, answer_all, rows_for

pytestmark = pytest.mark.integration


@pytest.fixture
def chat(rasa_url, http):
    return RestConversation(rasa_url, http)


def test_happy_path_stores_a_normalised_consented_request(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS)
    summary = chat.say("yes").text  # the summary is right
    assert "Reply STOP" in summary and "not a condition of any purchase" in summary
    done = chat.say("yes").text
    assert "MRI-" in done and "within two business days" in done

    (row,) = rows_for(database_url, chat)
    assert row["reference"] in done
    assert (row["first_name"], row["last_name"]) == ("Jon", "Doe")
    assert row["phone"] == "+15551234567"
    assert row["email"] == "jon.doe@mail.com"
    assert (row["zip_code"], row["state"]) == ("10001", "NY")
    assert row["adult"] is True and row["has_mri"] is True
    assert row["mri_region"] == "lumbar"
    assert sorted(row["treatments_tried"]) == ["injections", "physical_therapy"]
    assert (row["contact_method"], row["best_time"]) == ("text", "morning")
    assert row["consent"] is True and row["consent_version"]
    assert row["channel"] == "rest"
    assert row["status"] == "new"

    # A repeated confirmation after submission stores nothing more.
    chat.say("yes")
    assert len(rows_for(database_url, chat)) == 1


def test_invalid_answers_are_re_asked_with_a_reason_and_a_person_is_offered(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS[:9])
    first = chat.say("12345")
    assert "phone" in first.text.lower() and "area code" in first.text.lower()
    second = chat.say("call me maybe")
    assert "Talk to a person" in second.buttons
    assert "email" in chat.say("(212) 555-0182").text.lower()
    assert "email" in chat.say("jon at mail").text.lower()
    assert "zip" in chat.say("jon@example.com").text.lower()
    assert "zip" in chat.say("00000").text.lower()
    assert "how would you like" in chat.say("94105").text.lower()
    assert rows_for(database_url, chat) == []


def test_corrections_by_natural_language_and_from_the_summary(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS[:11])
    updated = chat.say("actually my email is jane.roe@example.org")
    assert "updated your email" in updated.text and "ZIP code" in updated.text
    answer_all(chat, [("10001", "How would you like"), ("call", "best time")])
    summary = chat.say("evening")
    assert "jane.roe@example.org" in summary.text and "+15551234567" in summary.text
    again = chat.say("change my phone")
    assert "change your phone" in again.text and "phone number" in again.text
    summary = chat.say("212 555 0182")
    assert "Is everything correct?" in summary.text and "+12125550182" in summary.text
    assert "Reply STOP" in chat.say("yes").text
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert row["email"] == "jane.roe@example.org"
    assert row["phone"] == "+12125550182"


def test_question_in_the_middle_is_answered_then_the_question_is_asked_again(chat):
    answer_all(chat, HAPPY_ANSWERS[:9])
    reply = chat.say("how big is the incision?")
    assert "less than 1 inch" in reply.text
    assert "phone number" in reply.text


def test_cancel_drops_everything(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS[:10])
    assert "nothing was saved" in chat.say("cancel").text.lower()
    assert "first and last name" not in chat.say("Jon.Doe@Mail.com").text
    assert rows_for(database_url, chat) == []


def test_no_consent_stores_nothing(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS)
    chat.say("yes")
    reply = chat.say("no")
    assert "haven't saved" in reply.text
    assert rows_for(database_url, chat) == []


def test_no_mri_offers_a_consultant_call(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS[:3])
    reply = chat.say("no")
    assert "needs an MRI" in reply.text and "call" in reply.text.lower()
    assert "haven't saved" in chat.say("no thanks").text
    assert rows_for(database_url, chat) == []


def test_red_flag_in_the_middle_stops_the_form(chat, database_url):
    answer_all(chat, HAPPY_ANSWERS[:7])
    reply = chat.say("wait, I just wet myself and can't feel my inner thighs")
    assert "call 911" in reply.text and "nothing from it was saved" in reply.text
    assert "treatments" not in chat.say("PT and injections").text.lower()
    assert rows_for(database_url, chat) == []


def test_markup_in_a_name_is_refused_and_asked_again(chat, database_url):
    # Issue 9: a name is echoed in the widget's markdown and stored for the consultants,
    # so markup is refused (it used to be kept as text) and the question asked again.
    answer_all(chat, HAPPY_ANSWERS[:1])
    assert "only have letters" in chat.say("<b>Jon</b> O'Neil").text
    answer_all(chat, [("Jon O'Neil", "18 or older"), *HAPPY_ANSWERS[2:]])
    chat.say("yes")
    chat.say("yes")
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Jon", "O'Neil")
