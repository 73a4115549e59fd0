"""STOP, START and HELP are recognised by rule, the same on every channel, before the classifier."""

import pytest

from spinecare.messaging.keywords import (
    Keyword,
    classify,
    is_request_cancel,
    opt_out_method,
)

CARRIER_OPT_OUTS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]


@pytest.mark.parametrize("word", CARRIER_OPT_OUTS)
@pytest.mark.parametrize("shape", ["{}", "{lower}", " {title}. ", "{}!"])
def test_every_carrier_opt_out_keyword_in_any_case(word, shape):
    text = shape.format(word, lower=word.lower(), title=word.title())
    assert classify(text) is Keyword.OPT_OUT
    assert opt_out_method(text) == "keyword"


@pytest.mark.parametrize(
    "text",
    [
        "please stop texting me",
        "Stop sending me messages.",
        "stop messaging me",
        "don't text me anymore",
        "Do not contact me again",
        "no more texts please",
        "I don't want any more text messages",
        "remove me from your list",
        "take me off this list",
        "I want to revoke my consent",
        "unsubscribe me",
        "stop these text messages",
    ],
)
def test_plain_language_revocation_is_an_opt_out(text):
    assert classify(text) is Keyword.OPT_OUT
    assert opt_out_method(text) == "plain_language"


@pytest.mark.parametrize(
    "text",
    [
        "should I stop exercising?",
        "stop the request",
        "I end up texting my doctor every day",
        "can you text me the details?",
        "the pain won't stop",
        "my leg hurts when I stop walking",
        "cancel request",
        "quit smoking helped?",
        "yes",
        "start the MRI review",
    ],
)
def test_ordinary_messages_are_not_keywords(text):
    assert classify(text) is None


def test_start_and_unstop_opt_in_and_yes_only_for_an_opted_out_number():
    assert classify("START") is Keyword.OPT_IN
    assert classify("unstop") is Keyword.OPT_IN
    assert classify("yes") is None
    assert classify("Yes", opted_out=True) is Keyword.OPT_IN


@pytest.mark.parametrize("text", ["HELP", "help", "Info", " INFO? "])
def test_help_and_info(text):
    assert classify(text) is Keyword.HELP


def test_help_inside_a_sentence_is_a_message_for_the_assistant():
    assert classify("I need help with my back pain") is None


@pytest.mark.parametrize(
    "text",
    ["cancel request", "Cancel my request", "please cancel the request", "stop the request",
     "cancel the MRI review", "cancel my call-back"],
)  # fmt: skip
def test_cancel_request_cancels_only_the_request(text):
    assert is_request_cancel(text)
    assert classify(text) is None


def test_a_lone_cancel_is_not_a_request_cancel_but_an_opt_out():
    assert not is_request_cancel("cancel")
    assert classify("cancel") is Keyword.OPT_OUT
