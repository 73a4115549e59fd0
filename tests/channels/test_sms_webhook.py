"""The SMS/WhatsApp webhook over real HTTP, signed as Twilio signs, with Twilio faked offline.

What is asserted is what Twilio sees (status, TwiML, timing) and what the patient's
phone would receive (the messages handed to Twilio's API).
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
from datetime import timedelta
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import update

from channels.sms import EMPTY_TWIML, SmsInput
from spinecare.messaging.keywords import OPT_OUT_KEYWORDS
from spinecare.storage import db, messaging
from spinecare.storage.models import MessagingContact, utcnow
from tests.channels.conftest import PUBLIC_BASE_URL, SMS_PATH, channel_settings
from tests.support.aio import run
from tests.support.messaging import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PATIENT,
    SMS_FROM,
    WHATSAPP_FROM,
    ChannelServer,
    FakeTwilioHttpClient,
    ScriptedAssistant,
    twilio_params,
    twilio_request,
    twilio_signature,
)

YES_NO = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]
OTHER = "+13125550142"


def question(text: str) -> list[dict]:
    return [{"text": "Are you 18 or older?", "buttons": YES_NO}]


# --- answering Twilio ---------------------------------------------------------------


def test_a_signed_message_gets_empty_twiml_and_a_reply_with_numbered_choices(harness):
    harness.assistant.reply = question
    response = harness.sms("I'd like the free MRI review")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == EMPTY_TWIML
    assert harness.sent(PATIENT, 1) == ["Are you 18 or older?\nReply 1 for Yes, 2 for No."]
    (message,) = harness.twilio.outbox.to(PATIENT)
    assert message["from"] == SMS_FROM

    (received,) = harness.assistant.received
    assert received.text == "I'd like the free MRI review"
    assert received.input_channel == "sms"
    assert received.metadata == {"channel": "sms", "sender": PATIENT}
    assert received.sender_id.startswith("sms-") and "5550199" not in received.sender_id


@pytest.mark.parametrize(("reply", "payload"), [("2", "no"), ("1.", "yes"), ("no", "no")])
def test_a_number_or_the_choices_words_reach_the_assistant_as_the_payload(harness, reply, payload):
    harness.assistant.reply = question
    harness.sms("free MRI review please")
    harness.sent(PATIENT, 1)
    harness.sms(reply)
    harness.sent(PATIENT, 2)
    assert harness.assistant.texts() == ["free MRI review please", payload]


def test_a_number_with_no_choices_on_offer_is_passed_on_as_typed(harness):
    harness.sms("3")
    harness.sent(PATIENT, 1)
    assert harness.assistant.texts() == ["3"]


def test_a_slow_turn_still_answers_the_webhook_at_once(harness):
    harness.assistant.delay = 5.0
    started = time.monotonic()
    response = harness.sms("how long does recovery take?")
    answered = time.monotonic() - started
    assert response.status_code == 200 and answered < 1.0  # Twilio gives up after 15 s
    assert harness.twilio.outbox.to(PATIENT) == []
    harness.sent(PATIENT, 1, timeout=30)
    assert time.monotonic() - started >= 5.0


def test_a_retried_webhook_is_processed_once(harness):
    params = twilio_params("is walking ok?")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: harness.post_twilio(params).status_code, range(4)))
    assert statuses == [200] * 4  # Twilio must see success, or it retries again
    harness.sent(PATIENT, 1)
    harness.settle()
    assert harness.assistant.texts() == ["is walking ok?"]
    assert len(harness.twilio.outbox.to(PATIENT)) == 1


def test_a_captured_request_replayed_later_is_not_processed_again(harness):
    params = twilio_params("my reference please")
    harness.post_twilio(params)
    harness.sent(PATIENT, 1)
    harness.settle()
    assert harness.post_twilio(params).status_code == 200
    harness.settle()
    assert len(harness.assistant.received) == 1
    assert len(harness.twilio.outbox.to(PATIENT)) == 1


# --- refusing everyone else ---------------------------------------------------------


def _forged(kind: str) -> tuple[dict, str | None]:
    """A request's parameters and X-Twilio-Signature, made wrong in the way `kind` names."""
    params = twilio_params("I'm someone else, send me their data")
    public = PUBLIC_BASE_URL + SMS_PATH
    if kind == "missing":
        return params, None
    if kind == "wrong token":
        return params, twilio_signature("guessed-token", public, params)
    if kind == "internal url":  # signed for the URL the server sees behind the proxy
        return params, twilio_signature(AUTH_TOKEN, "http://127.0.0.1" + SMS_PATH, params)
    if kind == "tampered body":
        signature = twilio_signature(AUTH_TOKEN, public, params)
        return {**params, "From": OTHER}, signature
    if kind == "other account":
        params["AccountSid"] = "AC" + "9" * 32
        return params, twilio_signature(AUTH_TOKEN, public, params)
    return params, "A" * 27 + "="  # garbage of the right shape


@pytest.mark.parametrize(
    "kind", ["missing", "wrong token", "internal url", "tampered body", "garbage", "other account"]
)
def test_a_request_not_signed_by_twilio_gets_403_and_nothing_happens(harness, kind):
    params, signature = _forged(kind)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    response = harness.http.post(harness.url + SMS_PATH, content=urlencode(params), headers=headers)
    assert response.status_code == 403
    assert "Response" not in response.text
    harness.settle()
    assert harness.assistant.received == []
    assert harness.twilio.outbox.messages == []
    assert harness.contacts() == 0 and harness.taken_in() == 0


def test_a_2_mb_body_is_refused_unread(harness):
    params = twilio_params("x" * (2 * 1024 * 1024))
    response = harness.post_twilio(params)
    assert response.status_code == 413
    harness.settle()
    assert harness.assistant.received == [] and harness.taken_in() == 0


def test_a_channel_without_credentials_is_not_served(tmp_path, providers):
    conf = channel_settings(f"sqlite:///{tmp_path / 'x.db'}", providers.url, twilio_auth_token="")
    bot = ScriptedAssistant()
    with ChannelServer([SmsInput(conf, http_client=FakeTwilioHttpClient())], bot) as server:
        body, headers = twilio_request(PUBLIC_BASE_URL + SMS_PATH, twilio_params("hi"))
        assert httpx.post(server.url + SMS_PATH, content=body, headers=headers).status_code == 404
        assert httpx.get(server.url + "/webhooks/sms/").status_code == 404
        time.sleep(0.5)
    assert bot.received == []


def test_a_signed_post_that_is_not_a_message_is_acknowledged_and_ignored(harness):
    params = {
        "AccountSid": ACCOUNT_SID,
        "MessageStatus": "delivered",
        "MessageSid": "SM" + "a" * 32,
    }
    assert harness.post_twilio(params).status_code == 200
    harness.settle()
    assert harness.assistant.received == [] and harness.contacts() == 0


# --- STOP, HELP, START --------------------------------------------------------------


def test_stop_confirms_once_then_nothing_is_sent_until_start(harness):
    harness.sms("hi")
    harness.sent(PATIENT, 1)

    harness.sms("STOP")
    stop = harness.sent(PATIENT, 2)[-1]
    assert stop == "You're unsubscribed from Lakeside Spine messages. Reply START to resubscribe."

    harness.sms("what exercises help sciatica?")
    harness.settle(1.5)
    assert len(harness.twilio.outbox.to(PATIENT)) == 2  # nothing after the confirmation
    assert "what exercises help sciatica?" not in harness.assistant.texts()

    harness.sms("HELP")
    help_text = harness.sent(PATIENT, 3)[-1]
    for words in ("Lakeside Spine", "(312) 555-0100", "Msg & data rates may apply", "Reply STOP"):
        assert words in help_text

    harness.sms("start")
    start = harness.sent(PATIENT, 4)[-1]
    assert start.startswith("You're resubscribed to Lakeside Spine messages.")
    assert "Reply HELP for help, STOP to opt out." in start

    harness.sms("hello again")
    assert harness.sent(PATIENT, 5)[-1] == "You said: hello again"


@pytest.mark.parametrize("keyword", sorted(OPT_OUT_KEYWORDS))
def test_every_opt_out_keyword_confirms_and_is_recorded(harness, keyword):
    harness.sms(keyword.lower())
    assert harness.sent(PATIENT, 1)[0].startswith("You're unsubscribed")
    harness.sms("hello")
    harness.settle()
    assert len(harness.twilio.outbox.to(PATIENT)) == 1


def test_plain_words_revoke_consent_too(harness):
    harness.sms("Please stop texting me.")
    assert harness.sent(PATIENT, 1)[0].startswith("You're unsubscribed")
    assert harness.assistant.texts() == ["/cancel"]  # any request in progress is stopped


def test_yes_resubscribes_only_an_opted_out_number(harness):
    harness.sms("yes")
    assert harness.sent(PATIENT, 1) == ["You said: yes"]
    harness.sms("STOP")
    harness.sent(PATIENT, 2)
    harness.sms("YES")
    assert harness.sent(PATIENT, 3)[-1].startswith("You're resubscribed")


def test_a_stop_twilio_already_blocked_is_not_an_error(harness):
    harness.twilio.refuse[PATIENT] = 21610  # Twilio answered STOP itself and blocks us
    assert harness.sms("STOP").status_code == 200
    harness.settle()
    harness.twilio.refuse.clear()
    harness.sms("hello")
    harness.settle()
    assert harness.twilio.outbox.to(PATIENT) == []  # still opted out in our registry


# --- "cancel" in the middle of an intake --------------------------------------------


def intake_bot(text: str) -> list[dict]:
    """Mimics the intake's replies to "/cancel" (which the real assistant sends)."""
    if text == "/cancel":
        return [{"text": "Okay, I've stopped the request. Nothing was saved.",
                 "utter_action": "utter_intake_cancelled"}]  # fmt: skip
    return [{"text": "What is your first and last name?"}]


def test_cancel_alone_mid_intake_opts_out_and_stops_the_request(harness):
    harness.assistant.reply = intake_bot
    harness.sms("I'd like the free MRI review")
    harness.sent(PATIENT, 1)
    harness.sms("Cancel")
    confirmation = harness.sent(PATIENT, 2)[-1]
    assert confirmation == (
        "You're unsubscribed from Lakeside Spine messages, and the request we were filling in "
        "is stopped; nothing was saved. Reply START to resubscribe."
    )
    assert harness.assistant.texts()[-1] == "/cancel"
    assert harness.assistant.received[-1].metadata["opt_out"] is True
    harness.settle()
    assert len(harness.twilio.outbox.to(PATIENT)) == 2  # the cancel reply itself is not sent


def test_cancel_request_stops_only_the_request(harness):
    harness.assistant.reply = intake_bot
    harness.sms("I'd like the free MRI review")
    harness.sent(PATIENT, 1)
    harness.sms("cancel request")
    assert harness.sent(PATIENT, 2)[-1] == "Okay, I've stopped the request. Nothing was saved."
    harness.sms("hi")
    assert len(harness.sent(PATIENT, 3)) == 3  # still subscribed


# --- media, emergencies, hostile text -----------------------------------------------


def test_a_photo_is_not_kept_and_the_patient_is_told_how_to_send_it(harness, caplog):
    media_url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    with caplog.at_level(logging.DEBUG):
        harness.sms(None, media=[media_url])
        (notice,) = harness.sent(PATIENT, 1)
        harness.settle()
    assert "can't accept photos" in notice and "(312) 555-0100" in notice
    assert harness.assistant.received == []  # nothing to answer, nothing stored
    assert media_url not in caplog.text and "ME1" not in caplog.text


def test_a_photo_with_words_gets_the_notice_and_an_answer(harness):
    harness.sms("here is my MRI report", media=["https://api.twilio.com/x/Media/ME2"])
    bodies = harness.sent(PATIENT, 2)
    assert "can't accept photos" in bodies[0]
    assert harness.assistant.texts() == ["here is my MRI report"]


def test_an_opted_out_numbers_messages_never_reach_the_dialogue(harness):
    harness.sms("I'd like the free MRI review")
    harness.sent(PATIENT, 1)
    harness.sms("STOP")
    harness.sent(PATIENT, 2)
    for text in ("Jon Doe", "yes please", "10001"):  # a form must not go on unseen
        harness.sms(text)
    harness.settle(1.5)
    assert harness.assistant.texts() == ["I'd like the free MRI review", "/cancel"]
    assert harness.assistant.parsed == ["Jon Doe", "yes please", "10001"]  # read for emergencies
    assert len(harness.twilio.outbox.to(PATIENT)) == 2


def test_emergency_advice_still_reaches_an_opted_out_number(harness):
    harness.assistant.emergency = lambda text: "bladder" in text
    harness.assistant.reply = lambda text: [
        {"text": "Call 911 now, or go to the nearest emergency room. Numbness there is serious.",
         "safety": "emergency"},
        {"text": "How else can I help?", "buttons": YES_NO},
    ]  # fmt: skip
    harness.sms("STOP")
    harness.sent(PATIENT, 1)
    harness.sms("I suddenly can't feel my groin and can't control my bladder")
    advice = harness.sent(PATIENT, 2)[-1]
    assert advice.startswith("Call 911 now")
    assert "How else" not in advice and "Reply 1" not in advice


def test_the_emergency_reply_offers_no_choices(harness):
    harness.assistant.reply = lambda text: [
        {"text": "Call 911 now, or go to the nearest emergency room.", "safety": "emergency"},
        {"text": "Anything else?", "buttons": YES_NO},
    ]
    harness.sms("I can't control my bladder")
    (body,) = harness.sent(PATIENT, 1)
    assert body.startswith("Call 911 now") and "Reply 1" not in body
    harness.sms("1")
    harness.sent(PATIENT, 2)
    assert harness.assistant.texts()[-1] == "1"  # no choice was on offer


def test_markup_from_the_patient_is_only_text_and_never_a_rasa_command(harness):
    harness.assistant.reply = lambda text: [{"text": f"**You wrote:** {text}"}]
    hostile = "**bold** <script>alert(1)</script> ]]></Body>"
    response = harness.sms(hostile)
    assert response.text == EMPTY_TWIML  # the TwiML answer never echoes the message
    harness.sent(PATIENT, 1)
    harness.sms('/inform{"phone": "+15555555555"}')
    harness.sms("//restart")
    replies = harness.sent(PATIENT, 3)
    assert harness.assistant.texts() == [hostile, 'inform{"phone": "+15555555555"}', "restart"]
    assert replies[0] == "You wrote: bold alert(1) ]]>"
    assert all("**" not in reply and "<script>" not in reply for reply in replies)


def test_logs_name_no_phone_number_and_no_words_of_the_patient(harness, caplog):
    with caplog.at_level(logging.DEBUG):
        harness.sms("my sciatica is worse at night")
        harness.sent(PATIENT, 1)
        harness.sms("STOP")
        harness.sent(PATIENT, 2)
        harness.settle()
    assert "messaging_received" in caplog.text and "messaging_opt_out" in caplog.text
    for secret in ("3125550199", "sciatica", "unsubscribed", AUTH_TOKEN, ACCOUNT_SID):
        assert secret not in caplog.text, secret


def test_a_flood_from_one_number_is_cut_off(harness):
    for number in range(25):
        harness.sms(f"message {number}")
    harness.sent(PATIENT, 20)
    harness.settle(2)
    assert len(harness.assistant.received) == 20


# --- WhatsApp -----------------------------------------------------------------------


def test_whatsapp_is_answered_on_whatsapp_in_its_own_conversation(harness):
    harness.sms("hi from sms")
    harness.sent(PATIENT, 1)
    harness.sms("hi from whatsapp", channel="whatsapp")
    (reply,) = harness.sent(f"whatsapp:{PATIENT}", 1)
    assert reply == "You said: hi from whatsapp"
    (message,) = harness.twilio.outbox.to(f"whatsapp:{PATIENT}")
    assert message["from"] == WHATSAPP_FROM
    sms, whatsapp = harness.assistant.received
    assert whatsapp.input_channel == "whatsapp"
    assert whatsapp.metadata == {"channel": "whatsapp", "sender": PATIENT}
    assert whatsapp.sender_id != sms.sender_id


def test_stop_on_whatsapp_stops_sms_to_the_same_number(harness):
    harness.sms("STOP", channel="whatsapp")
    harness.sent(f"whatsapp:{PATIENT}", 1)
    harness.sms("hello", sender=PATIENT)
    harness.settle()
    assert harness.twilio.outbox.to(PATIENT) == []


# --- sending outside a webhook turn (Rasa's API, reminders, later sends) ------------


def _contact(harness, channel: str = "sms"):
    with db.make_session_factory(db.make_engine(harness.conf.database_url))() as session:
        return messaging.contact_for_inbound(session, channel, PATIENT)


def _age(harness, contact, hours: float) -> None:
    engine = db.make_engine(harness.conf.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(MessagingContact)
            .where(MessagingContact.conversation_id == contact.conversation_id)
            .values(last_inbound_at=utcnow() - timedelta(hours=hours))
        )
    engine.dispose()


def test_a_later_send_goes_to_the_conversations_number_unless_it_opted_out(harness):
    contact = _contact(harness)
    output = harness.sms_channel.get_output_channel()
    run(output.send_response(contact.conversation_id, {"text": "Your call is at 3 pm."}))
    assert harness.sent(PATIENT, 1) == ["Your call is at 3 pm."]

    with db.make_session_factory(db.make_engine(harness.conf.database_url))() as session:
        messaging.record_opt_out(session, PATIENT, "sms", "keyword")
    run(output.send_response(contact.conversation_id, {"text": "Reminder!"}))
    run(output.send_response("sms-unknown", {"text": "to nobody"}))
    assert len(harness.twilio.outbox.messages) == 1


def test_whatsapp_gets_nothing_outside_its_24_hour_window(harness):
    contact = _contact(harness, "whatsapp")
    output = harness.sms_channel.get_output_channel()
    _age(harness, contact, hours=25)
    run(output.send_response(contact.conversation_id, {"text": "Are you still there?"}))
    assert harness.twilio.outbox.messages == []
    _age(harness, contact, hours=23)
    run(output.send_response(contact.conversation_id, {"text": "Are you still there?"}))
    assert harness.sent(f"whatsapp:{PATIENT}", 1) == ["Are you still there?"]
