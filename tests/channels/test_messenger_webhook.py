"""The Messenger webhook over real HTTP, signed as Meta signs, with the Send API faked offline."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from channels.messenger import MessengerInput
from tests.channels.conftest import MESSENGER_PATH, channel_settings
from tests.support.messaging import (
    APP_SECRET,
    PAGE_TOKEN,
    PSID,
    VERIFY_TOKEN,
    ChannelServer,
    ScriptedAssistant,
    messenger_payload,
    messenger_request,
    messenger_text,
)

ME = f"messenger:{PSID}"
OTHER_PSID = "1234567890123456"


def handshake(harness, **params) -> httpx.Response:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    query.update(params)
    return harness.http.get(harness.url + MESSENGER_PATH, params=query)


def test_the_subscription_handshake_echoes_the_challenge(harness):
    response = handshake(harness)
    assert response.status_code == 200 and response.text == "1158201444"


def test_a_wrong_verify_token_or_mode_is_refused(harness):
    assert handshake(harness, **{"hub.verify_token": "guess"}).status_code == 403
    assert handshake(harness, **{"hub.mode": "unsubscribe"}).status_code == 403
    assert handshake(harness, **{"hub.challenge": "<script>"}).status_code == 403
    response = harness.http.get(harness.url + MESSENGER_PATH)
    assert response.status_code == 403


def test_every_event_of_a_batch_is_answered(harness):
    payload = messenger_payload(
        messenger_text("hello from one"),
        messenger_text("hello from two", psid=OTHER_PSID),
        messenger_text("and again from one"),
    )
    response = harness.messenger(payload)
    assert response.status_code == 200 and response.text == "EVENT_RECEIVED"
    assert harness.sent(ME, 2) == ["You said: hello from one", "You said: and again from one"]
    assert harness.sent(f"messenger:{OTHER_PSID}", 1) == ["You said: hello from two"]
    first = next(m for m in harness.assistant.received if m.text == "hello from one")
    assert first.input_channel == "messenger"
    assert first.metadata == {"channel": "messenger", "sender": ME}
    assert first.sender_id.startswith("messenger-") and PSID not in first.sender_id


def test_sends_are_responses_with_the_page_token(harness):
    harness.messenger(messenger_payload(messenger_text("hi")))
    harness.sent(ME, 1)
    (message,) = harness.providers.outbox.to(ME)
    assert message["messaging_type"] == "RESPONSE"
    assert message["access_token"] == PAGE_TOKEN


def test_choices_become_at_most_13_quick_replies_with_short_titles(harness):
    buttons = [
        {"title": f"Change my contact method {n}", "payload": f"change {n}"} for n in range(13)
    ]
    harness.assistant.reply = lambda text: [
        {"text": "What would you like to change?", "buttons": buttons}
    ]
    harness.messenger(messenger_payload(messenger_text("no, I need to change something")))
    harness.sent(ME, 1)
    (message,) = harness.providers.outbox.to(ME)
    replies = message["quick_replies"]
    assert len(replies) == 13
    assert all(len(reply["title"]) <= 20 for reply in replies)
    assert [reply["payload"] for reply in replies] == [b["payload"] for b in buttons]


def test_a_tapped_quick_reply_sends_its_payload_only_if_it_was_offered(harness):
    harness.assistant.reply = lambda text: [
        {"text": "Are you 18 or older?", "buttons": [{"title": "Yes", "payload": "yes"}]}
    ]
    harness.messenger(messenger_payload(messenger_text("start the review")))
    harness.sent(ME, 1)
    harness.messenger(messenger_payload(messenger_text("Yes", payload="yes")))
    harness.sent(ME, 2)
    forged = messenger_text("hello", payload='/inform{"phone": "+15555555555"}')
    harness.messenger(messenger_payload(forged))
    harness.sent(ME, 3)
    assert harness.assistant.texts() == ["start the review", "yes", "hello"]


def test_replies_are_plain_text(harness):
    harness.assistant.reply = lambda text: [{"text": "**Bold** and [a link](https://x.example)"}]
    harness.messenger(messenger_payload(messenger_text("hi")))
    assert harness.sent(ME, 1) == ["Bold and a link (https://x.example)"]


def test_echoes_reads_and_deliveries_are_not_answered(harness):
    echo = messenger_text("our own reply")
    echo["message"]["is_echo"] = True
    read = {"sender": {"id": PSID}, "recipient": {"id": "1"}, "read": {"watermark": 1}}
    delivery = {"sender": {"id": PSID}, "recipient": {"id": "1"}, "delivery": {"mids": ["m"]}}
    assert harness.messenger(messenger_payload(echo, read, delivery)).status_code == 200
    harness.settle()
    assert harness.assistant.received == [] and harness.providers.outbox.messages == []


def test_a_retried_webhook_is_processed_once(harness):
    payload = messenger_payload(messenger_text("once please", mid="m_fixed"))
    for _ in range(3):
        assert harness.messenger(payload).status_code == 200
    harness.sent(ME, 1)
    harness.settle()
    assert harness.assistant.texts() == ["once please"]


def _post(harness, body: bytes, headers: dict) -> httpx.Response:
    return harness.http.post(harness.url + MESSENGER_PATH, content=body, headers=headers)


def test_unsigned_or_wrongly_signed_posts_get_403_and_nothing_happens(harness):
    body, headers = messenger_request(messenger_payload(messenger_text("hi")))
    sha1 = "sha1=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha1).hexdigest()
    wrong_secret = messenger_request(json.loads(body), app_secret="guessed")[1]
    tampered = body.replace(b"hi", b"yo")
    cases = [
        {"Content-Type": "application/json"},  # no signature
        {"Content-Type": "application/json", "X-Hub-Signature": sha1},  # the old SHA-1 header
        {"Content-Type": "application/json", "X-Hub-Signature-256": sha1},  # algorithm swap
        wrong_secret,
        {**headers, "X-Hub-Signature-256": headers["X-Hub-Signature-256"].upper()},
    ]
    for case in cases:
        assert _post(harness, body, case).status_code == 403, case
    assert _post(harness, tampered, headers).status_code == 403
    harness.settle()
    assert harness.assistant.received == [] and harness.providers.outbox.messages == []
    assert harness.contacts() == 0


def test_a_2_mb_body_is_refused(harness):
    payload = messenger_payload(messenger_text("x" * (2 * 1024 * 1024)))
    assert harness.messenger(payload).status_code == 413
    harness.settle()
    assert harness.assistant.received == []


def test_a_signed_body_that_is_not_json_is_acknowledged_and_ignored(harness):
    body = b"not json"
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = _post(harness, body, {"X-Hub-Signature-256": signature})
    assert response.status_code == 200
    harness.settle()
    assert harness.assistant.received == []


def test_stop_on_messenger_confirms_then_nothing_more(harness):
    harness.messenger(messenger_payload(messenger_text("STOP")))
    assert harness.sent(ME, 1)[0].startswith("You're unsubscribed from Lakeside Spine messages")
    harness.messenger(messenger_payload(messenger_text("hello?")))
    harness.settle()
    assert len(harness.providers.outbox.to(ME)) == 1
    harness.messenger(messenger_payload(messenger_text("START")))
    assert harness.sent(ME, 2)[-1].startswith("You're resubscribed")


def test_an_attachment_is_not_kept_and_the_patient_is_told_how_to_send_it(harness):
    event = messenger_text("")
    del event["message"]["text"]
    event["message"]["attachments"] = [
        {"type": "image", "payload": {"url": "https://cdn.example/x.jpg"}}
    ]
    harness.messenger(messenger_payload(event))
    (notice,) = harness.sent(ME, 1)
    assert "can't accept photos" in notice
    harness.settle()
    assert harness.assistant.received == []


def test_messenger_without_credentials_is_not_served(tmp_path, providers):
    conf = channel_settings(
        f"sqlite:///{tmp_path / 'x.db'}", providers.url, messenger_app_secret=""
    )
    bot = ScriptedAssistant()
    with ChannelServer([MessengerInput(conf)], bot) as server:
        body, headers = messenger_request(messenger_payload(messenger_text("hi")))
        assert (
            httpx.post(server.url + MESSENGER_PATH, content=body, headers=headers).status_code
            == 404
        )
        params = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
        assert httpx.get(server.url + MESSENGER_PATH, params=params).status_code == 404
