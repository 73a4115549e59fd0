"""On SMS/WhatsApp the intake offers the number the patient texts from; they may give another."""

import pytest

from spinecare.messaging.phone_on_file import (
    ASK_OTHER_NUMBER,
    OTHER_NUMBER_PAYLOAD,
    UNCLEAR,
    message_sender,
    offer_question,
    parse_offer_answer,
    sender_phone,
)

SMS = {"channel": "sms", "sender": "+13125550199"}


def test_the_offer_shows_the_number_as_people_read_it():
    text, buttons = offer_question("+13125550199")
    assert text == "Is +1 312 555 0199 the best number to reach you?"
    assert [b["payload"] for b in buttons] == ["yes", OTHER_NUMBER_PAYLOAD]


@pytest.mark.parametrize(
    ("metadata", "phone"),
    [
        (SMS, "+13125550199"),
        ({"channel": "whatsapp", "sender": "+13125550199"}, "+13125550199"),
        ({"channel": "messenger", "sender": "messenger:123456"}, None),
        ({"channel": "rest", "sender": "+13125550199"}, None),  # anyone can claim this on REST
        ({"channel": "sms", "sender": "3125550199"}, None),
        (None, None),
    ],
)
def test_only_a_phone_channels_sender_is_offered(metadata, phone):
    assert sender_phone(metadata) == phone


def test_the_consent_records_sender_is_the_number_or_the_messenger_id():
    assert message_sender(SMS) == "+13125550199"
    assert message_sender({"channel": "messenger", "sender": "messenger:123"}) == "messenger:123"
    assert message_sender({"channel": "socketio", "sender": "x"}) is None


@pytest.mark.parametrize(
    ("answer", "phone", "reask"),
    [
        ("yes", "+13125550199", None),
        ("Yes, that's fine", "+13125550199", None),
        ("no", None, ASK_OTHER_NUMBER),
        (OTHER_NUMBER_PAYLOAD, None, ASK_OTHER_NUMBER),
        ("no, use 212 555 0182", "+12125550182", None),
        ("(212) 555-0182", "+12125550182", None),
        ("hmm", None, UNCLEAR),
    ],
)
def test_the_answer_takes_the_offered_number_another_one_or_asks(answer, phone, reask):
    result = parse_offer_answer(answer, "+13125550199")
    assert result.phone == phone
    assert result.reask == reask


def test_an_invalid_other_number_is_asked_again_with_the_reason():
    result = parse_offer_answer("use 212 555 01", "+13125550199")
    assert result.phone is None
    assert "right number of digits" in result.reask
