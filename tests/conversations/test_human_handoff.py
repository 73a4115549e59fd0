"""Asking for a person: the practice's number and hours, and a call-back stored like a request."""

from __future__ import annotations

import pytest

from spinecare.scenarios import RestConversation
from tests.support.intake import HAPPY_ANSWERS, answer_all, rows_for

pytestmark = pytest.mark.integration


@pytest.fixture
def chat(rasa_url, http):
    return RestConversation(rasa_url, http)


def test_call_back_is_taken_with_the_intake_validators_and_stored(chat, database_url):
    offer = chat.say("can I talk to someone please?")
    assert "(555) 010-0100" in offer.text and "Monday to Friday" in offer.text
    assert "call you back" in offer.text
    answer_all(chat, [("yes", "first and last name"), ("Jane Roe", "phone number")])
    assert "area code" in chat.say("12345").text  # the intake's phone validator, reused
    answer_all(chat, [("(212) 555-0182", "best time"), ("afternoon", "Do you agree")])
    done = chat.say("yes").text
    assert "call-back reference is" in done and "will call you" in done

    (row,) = rows_for(database_url, chat)
    assert row["request_type"] == "callback"
    assert (row["first_name"], row["last_name"], row["phone"]) == ("Jane", "Roe", "+12125550182")
    assert row["best_time"] == "afternoon" and row["consent"] is True
    assert row["reference"] in done


def test_no_call_back_wanted_stores_nothing(chat, database_url):
    chat.say("I want to speak with a human")
    assert "call us any time" in chat.say("no").text
    assert rows_for(database_url, chat) == []


def test_asking_for_a_person_during_the_intake_keeps_the_intake_going(chat):
    answer_all(chat, HAPPY_ANSWERS[:9])
    reply = chat.say("/human_handoff")
    assert "(555) 010-0100" in reply.text and "phone number" in reply.text
    assert "call you back" not in reply.text
