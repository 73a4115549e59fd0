"""Which messages ask whether the chat is a program or a person."""

from __future__ import annotations

import pytest

from spinecare.nlp.bot_question import asks_who_is_answering


@pytest.mark.parametrize(
    "text",
    [
        "r u a bot",
        "Are you a human being?",
        "wait is this automated or is somebody typing",
        "Am I corresponding with an actual staff member or an automated program?",
        "Who's on the other end of this, a machine?",
        "you're a robot aren't you",
        "be honest with me, is there a human being typin these",
        "is this the front desk or a computer",
        "are you a real doctor?",
        "eres una persona real o una máquina?",
        "estoy hablando con una persona o con una máquina?",
        "¿hablo con una persona real?",
        "bot?",
    ],
)
def test_questions_whether_the_chat_is_a_program(text):
    assert asks_who_is_answering(text)


@pytest.mark.parametrize(
    "text",
    [
        # Held-out sets 40-42: the MRI review's question, and a wish to talk to someone.
        "is a real doctor reading it",
        "is it a doctor who reads it",
        "I'd prefer to discuss this with a human being",
        "does a real person review the mri or is it a computer program",
        "can i talk to a real person",
        "hello is anybody there",
        "are you open on saturday",
        "are you guys in network with aetna",
        "is someone going to call me",
    ],
)
def test_other_messages(text):
    assert not asks_who_is_answering(text)
