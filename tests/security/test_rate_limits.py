"""Rate limits: polite replies, never a 500 (point 6). Limits: tests/security/conftest.py.

Messages are sent without waiting for replies, as a script would; the channel counts
them as they arrive, before NLU, so the refusal comes at once.
"""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import pytest

from spinecare.scenarios import RestConversation
from tests.security.support import LIMITS, REST_TOKEN, ChatSocket
from tests.support.aio import run
from tests.support.intake import rows_for

pytestmark = pytest.mark.integration

SESSION_LIMIT = int(LIMITS["SPINECARE_RATE_SESSION_MESSAGES_PER_MINUTE"])
IP_LIMIT = int(LIMITS["SPINECARE_RATE_IP_MESSAGES_PER_MINUTE"])
NEW_SESSION_LIMIT = int(LIMITS["SPINECARE_RATE_IP_NEW_SESSIONS_PER_MINUTE"])
TOO_FAST = "faster than I can answer"


def test_rest_messages_per_conversation_are_limited_with_a_429_and_a_polite_reply(
    secure, rest_client
):
    url = f"{secure.conf.rasa_url}/webhooks/rest/webhook"
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    headers = {"Authorization": f"Bearer {REST_TOKEN}"}
    statuses = []
    for _ in range(SESSION_LIMIT):
        response = rest_client.post(url, json={"sender": sender, "message": "hi"}, headers=headers)
        statuses.append(response.status_code)
    assert statuses == [200] * SESSION_LIMIT
    refused = rest_client.post(url, json={"sender": sender, "message": "hi"}, headers=headers)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert TOO_FAST in refused.json()[0]["text"] and "911" in refused.json()[0]["text"]
    # Another conversation is not affected.
    other = RestConversation(secure.conf.rasa_url, rest_client, token=REST_TOKEN)
    assert "SpineCare assistant" in other.say("hi").text


def test_socket_messages_per_session_are_limited(secure, client_ip):
    async def scenario():
        chat = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await chat.start_session()
        for _ in range(SESSION_LIMIT + 1):
            await chat.send("hello")
            await asyncio.sleep(0.05)  # one HTTP post each: engine.io refuses >16 in one
        replies = await chat.replies(first_within=30, quiet=5)
        assert any(TOO_FAST in text for text in replies)
        await chat.close()

    run(scenario())


def test_socket_messages_per_address_are_limited_across_sessions(secure, client_ip):
    async def scenario():
        chats = [await ChatSocket(secure.conf.rasa_url, None, client_ip).connect() for _ in "ab"]
        for chat in chats:
            await chat.start_session()
        for number in range(IP_LIMIT + 1):  # under the per-session limit in each session
            await chats[number % 2].send("hello")
            await asyncio.sleep(0.05)
        replies = [text for chat in chats for text in await chat.replies(first_within=30, quiet=5)]
        assert any(TOO_FAST in text for text in replies)
        # Someone at another address is not affected.
        neighbour = await ChatSocket(secure.conf.rasa_url, None, "192.0.2.77").connect()
        await neighbour.start_session()
        assert TOO_FAST not in await neighbour.say("hi")
        for chat in [*chats, neighbour]:
            await chat.close()

    run(scenario())


def test_new_sessions_per_address_are_limited(secure, client_ip):
    async def scenario():
        chats = []
        for _ in range(NEW_SESSION_LIMIT):
            chat = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
            await chat.start_session()
            chats.append(chat)
        one_too_many = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await one_too_many.client.emit("session_request", {})
        (reply,) = await one_too_many.replies(first_within=10)
        assert "Too many new chats" in reply and "911" in reply
        assert one_too_many.confirmed.empty()
        # An existing session still resumes: only new ones are limited.
        again = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        assert await again.start_session(chats[0].token) == chats[0].token
        for chat in [*chats, one_too_many, again]:
            await chat.close()

    run(scenario())


def test_stored_requests_per_address_are_limited(secure, client_ip):
    """A second call-back from the same network within the hour is not stored or sent."""

    async def call_back(name: str) -> tuple[str, str]:
        chat = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await chat.start_session()
        assert "call you back" in await chat.say("can I talk to someone please?")
        assert "first and last name" in await chat.say("yes")
        assert "phone number" in await chat.say(name)
        assert "best time" in await chat.say("(212) 555-0182")
        assert "Do you agree" in await chat.say("afternoon")
        done = await chat.say("yes")
        await chat.close()
        return chat.token.split(".")[1], done

    first, first_reply = run(call_back("Jane Roe"))
    assert "call-back reference is" in first_reply
    second, second_reply = run(call_back("John Roe"))
    assert "already received several requests from your network" in second_reply
    assert "911" in second_reply
    assert len(rows_for(secure.conf.database_url, SimpleNamespace(sender=first))) == 1
    assert rows_for(secure.conf.database_url, SimpleNamespace(sender=second)) == []
