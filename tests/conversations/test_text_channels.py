"""The real assistant over SMS, WhatsApp and Messenger: Rasa and the action server from
credentials.yml (spinecare/devserver.py), Twilio and Meta faked on a loopback port.

The webhook requests are signed for the public URL (as behind the practice's proxy)
while the server listens on 127.0.0.1; what the patient's phone would receive is
read from the fake providers.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import httpx
import pytest

from spinecare import devserver, settings
from spinecare.messaging.phone_on_file import display_phone
from spinecare.messaging.render import segment_count
from spinecare.training import train_if_needed
from tests.support.intake import HAPPY_ANSWERS, export
from tests.support.messaging import (
    PSID,
    VERIFY_TOKEN,
    FakeProviders,
    SmsConversation,
    messenger_payload,
    messenger_request,
    messenger_text,
    numbered_choices_in,
)

pytestmark = pytest.mark.integration

PUBLIC_BASE_URL = "https://assistant.practice.example"
MARKDOWN = re.compile(r"\*\*|__|`|^#|^\s*[-*] ", re.MULTILINE)


@pytest.fixture(scope="module")
def text_stack(tmp_path_factory):
    """A Rasa server and action server with the text channels configured, and the fakes."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('text-db') / 'spinecare.db'}"
    with FakeProviders() as providers:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=database_url,
        )
        env = {
            **providers.env,
            "SPINECARE_PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "SPINECARE_PRACTICE_NAME": "Lakeside Spine",
        }
        log_path = tmp_path_factory.mktemp("text-logs") / "servers.log"
        with pytest.MonkeyPatch.context() as patch, log_path.open("w") as log:
            for name, value in env.items():
                patch.setenv(name, value)
            stack = devserver.start(
                conf, train_if_needed(), webchat=False, console=False, dispatcher=False, log=log
            )
        try:
            yield conf, providers, log_path
        finally:
            stack.stop()


_numbers = itertools.count(1000)


@pytest.fixture
def phone(text_stack, http):
    conf, providers, _ = text_stack
    # A number of its own per test: opt-outs and conversations must not leak between tests.
    number = f"+1312555{next(_numbers):04d}"
    return SmsConversation(conf.rasa_url, PUBLIC_BASE_URL, providers, http, number=number)


def pick(reply: str, answer: str) -> str:
    """The number of the choice `answer` names, as a patient replying by number would send."""
    for number, title in numbered_choices_in(reply).items():
        if title.lower() == answer.lower() or title.lower().startswith(answer.lower() + " "):
            return str(number)
    return answer


def test_a_whole_intake_over_sms_with_numbered_choices(text_stack, phone):
    conf, _, log_path = text_stack
    numbers_used = 0
    bodies: list[str] = []
    reply = ""
    # On SMS the phone question offers the number the patient texts from: 1 takes it.
    offer = f"Is {display_phone(phone.number)} the best number to reach you?"
    answers = [
        (answer, offer if expected == "phone number" else expected)
        for answer, expected in HAPPY_ANSWERS
    ]
    answers = [("1", "email") if answer == "555 123 4567" else (answer, expected)
               for answer, expected in answers]  # fmt: skip
    for answer, expected in answers:
        text = pick(reply, answer) if reply else answer
        numbers_used += text.isdigit() and len(text) == 1
        messages = phone.say(text)
        bodies += messages
        reply = "\n\n".join(messages)
        assert expected.lower() in reply.lower(), (text, reply)
    assert numbers_used >= 3  # the yes/no, region, contact and time questions, by number
    assert "Reply 1 for Yes, that's right; 2 for Change something." in reply
    consent_bodies = phone.say("1")
    consent = "\n\n".join(consent_bodies)
    assert "Do you agree to be contacted" in consent
    assert "Reply 1 for Yes, I agree; 2 for No." in consent
    done_bodies = phone.say("1")
    done = "\n\n".join(done_bodies)
    assert "your request is in" in done.lower()
    bodies += consent_bodies + done_bodies

    (row,) = [r for r in export(conf.database_url) if r["reference"] in done]
    assert row["channel"] == "sms" and row["conversation_id"].startswith("sms-")
    assert row["phone"] == phone.number and row["contact_method"] == "text"
    assert row["sender"] == phone.number  # the consent record keeps who consented
    assert row["best_time"] == "morning" and row["mri_region"] == "lumbar"
    for body in bodies:
        assert segment_count(body) <= 3, body
        assert not MARKDOWN.search(body), body
    log = log_path.read_text()
    assert phone.number[1:] not in log and "shooting pain" not in log


def test_cancel_mid_intake_opts_out_stops_the_request_and_start_resumes_cleanly(text_stack, phone):
    phone.say("I'd like the free MRI review")
    phone.say("Jon Doe")
    (confirmation,) = phone.say("cancel")
    assert confirmation == (
        "You're unsubscribed from Lakeside Spine messages, and the request we were filling in "
        "is stopped; nothing was saved. Reply START to resubscribe."
    )
    assert phone.say("are you still there?", expect_reply=False) == []
    (advice, *_) = phone.say("I suddenly can't control my bladder and my groin is numb")
    assert advice.startswith("Call 911 now")  # the safety net still answers an opted-out number
    (help_text,) = phone.say("HELP")
    assert "Lakeside Spine" in help_text and "Msg & data rates may apply" in help_text
    (start,) = phone.say("START")
    assert start.startswith("You're resubscribed to Lakeside Spine messages.")
    greeting = "\n".join(phone.say("hi"))
    assert "How can I help?" in greeting  # a greeting (a short one: not the first), not a re-ask
    assert "18 or older" not in greeting


def test_cancel_request_stops_only_the_request(text_stack, phone):
    intro = "\n".join(phone.say("I'd like the free MRI review"))
    assert 'reply "cancel request"' in intro and 'type "cancel"' not in intro
    stopped = "\n".join(phone.say("cancel request"))
    assert "stopped the request" in stopped.lower()
    assert "Reply with a number:" in stopped  # still subscribed: the main options follow


def test_the_red_flag_reply_on_sms_leads_with_call_911_and_offers_no_choices(text_stack, phone):
    phone.say("I'd like the free MRI review")
    (advice, *rest) = phone.say("I suddenly can't control my bladder and my groin is numb")
    assert advice.startswith("Call 911 now")
    assert all(
        "Reply 1" not in body and "Reply with a number" not in body for body in [advice, *rest]
    )
    assert "nothing from it was saved" in " ".join([advice, *rest])


def test_whatsapp_gets_the_same_assistant_on_whatsapp(text_stack, http):
    conf, providers, _ = text_stack
    chat = SmsConversation(conf.rasa_url, PUBLIC_BASE_URL, providers, http,
                           number="+13125559876", channel="whatsapp")  # fmt: skip
    reply = "\n".join(chat.say("is it safe to keep exercising with sciatica?"))
    assert reply and not MARKDOWN.search(reply)
    assert providers.outbox.to("whatsapp:+13125559876")[0]["from"].startswith("whatsapp:")


def test_messenger_gets_quick_replies_from_the_real_assistant(text_stack, http):
    conf, providers, _ = text_stack
    url = conf.rasa_url + "/webhooks/messenger/webhook"
    challenge = http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                      "hub.challenge": "42"})  # fmt: skip
    assert challenge.text == "42"
    body, headers = messenger_request(messenger_payload(messenger_text("hi")))
    assert http.post(url, content=body, headers=headers).status_code == 200
    messages = providers.outbox.wait_for(f"messenger:{PSID}", 2)
    with_choices = [m for m in messages if m["quick_replies"]]
    assert with_choices, messages
    for reply in with_choices[0]["quick_replies"]:
        assert len(reply["title"]) <= 20


def test_unsigned_requests_to_the_real_server_are_refused(text_stack, http):
    conf, _, _ = text_stack
    sms = http.post(conf.rasa_url + "/webhooks/sms/webhook", data={"From": "+13125550000",
                    "Body": "hi", "MessageSid": "SM" + "0" * 32})  # fmt: skip
    assert sms.status_code == 403
    messenger = http.post(conf.rasa_url + "/webhooks/messenger/webhook", json={"object": "page"})
    assert messenger.status_code == 403


def test_the_webhooks_are_not_served_without_credentials(assistant):
    """The default stack (`make run` without SPINECARE_TWILIO_*/MESSENGER_*) answers 404."""
    with httpx.Client(timeout=30) as client:
        base = assistant.conf.rasa_url
        assert client.post(base + "/webhooks/sms/webhook", data={"Body": "hi"}).status_code == 404
        assert client.post(base + "/webhooks/messenger/webhook", json={}).status_code == 404
