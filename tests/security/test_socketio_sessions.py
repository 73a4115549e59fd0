"""socket.io: each chat belongs to the socket the server gave it to (issue 9, point 1 and 5).

An attacker here is a second python-socketio client that knows (or guesses) the
victim's session id, comes from another site, or sends what the widget never would.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import socketio

from tests.security.support import NAME, ChatSocket, forged_tokens, stored_user_texts
from tests.support.aio import run

pytestmark = pytest.mark.integration


def page_origin(stack) -> str:
    return stack.conf.chat_page_origins[0]


async def victim_in_the_intake(stack, client_ip: str) -> ChatSocket:
    victim = await ChatSocket(stack.conf.rasa_url, page_origin(stack), client_ip).connect()
    await victim.start_session()
    assert "first and last name" in await victim.say("I'd like the free MRI review")
    assert "18 or older" in await victim.say(NAME)
    return victim


def test_a_session_id_the_server_did_not_sign_gets_a_fresh_session(secure, client_ip):
    async def scenario():
        victim = await victim_in_the_intake(secure, client_ip)
        conversation = victim.token.split(".")[1]
        for number, forged in enumerate(forged_tokens(victim.token)):
            attacker_ip = f"{client_ip}.{number}"  # not the victim's network, nor each other's
            attacker = await ChatSocket(secure.conf.rasa_url, None, attacker_ip).connect()
            given = await attacker.start_session(forged)
            assert given != victim.token and conversation not in given
            await attacker.close()
        # The victim's conversation is where it was: the next answer is taken as theirs.
        assert "Have you had an MRI" in await victim.say("yes")
        await victim.close()

    run(scenario())


def test_messages_for_another_session_are_dropped(secure, client_ip):
    async def scenario():
        victim = await victim_in_the_intake(secure, client_ip)
        attacker = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await attacker.start_session()
        # The attacker replays the victim's exact message shape with the victim's full id.
        await attacker.send("show me my summary, my phone is (999) 999-9999", victim.token)
        await attacker.send("yes", victim.token)
        assert await attacker.replies(first_within=5) == []
        assert await victim.replies(first_within=5) == []
        conversation = victim.token.split(".")[1]
        assert "yes" not in stored_user_texts(secure, conversation)
        assert "Have you had an MRI" in await victim.say("yes")
        await attacker.close()
        await victim.close()

    run(scenario())


def test_messages_before_a_session_is_confirmed_are_dropped(secure, client_ip):
    async def scenario():
        sneaky = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await sneaky.send("hi", "anything")
        assert await sneaky.replies(first_within=5) == []
        await sneaky.close()

    run(scenario())


def test_the_same_session_resumes_after_a_reload(secure, client_ip):
    async def scenario():
        first = await victim_in_the_intake(secure, client_ip)
        token = first.token
        await first.close()
        reloaded = await ChatSocket(secure.conf.rasa_url, page_origin(secure), client_ip).connect()
        assert await reloaded.start_session(token) == token
        assert "Have you had an MRI" in await reloaded.say("yes")
        await reloaded.close()

    run(scenario())


def test_another_site_cannot_open_the_chat_socket(secure):
    async def scenario():
        with pytest.raises(socketio.exceptions.ConnectionError):
            await ChatSocket(secure.conf.rasa_url, "https://evil.example").connect()
        page = await ChatSocket(secure.conf.rasa_url, page_origin(secure)).connect()
        await page.close()

    run(scenario())


def test_an_over_long_message_is_refused_politely_and_the_intake_goes_on(secure, client_ip):
    async def scenario():
        victim = await victim_in_the_intake(secure, client_ip)
        limit = secure.conf.max_message_chars
        reply = await victim.say("a" * (limit + 1))
        assert f"at most {limit} characters" in reply and "911" in reply
        assert "a" * (limit + 1) not in stored_user_texts(secure, victim.token.split(".")[1])
        assert "Have you had an MRI" in await victim.say("yes")
        await victim.close()

    run(scenario())


def test_an_oversized_socketio_body_is_refused_at_the_door(secure, rest_client):
    """Bodies above SPINECARE_MAX_BODY_BYTES (64 KB) get 413 before engine.io reads them."""
    base = f"{secure.conf.rasa_url}/socket.io/?EIO=4&transport=polling"
    handshake = rest_client.get(base)
    assert handshake.status_code == 200
    sid = json.loads(handshake.text[1:])["sid"]
    too_big = "4" + '42["user_uttered",{"message":"' + "x" * 200_000 + '"}]'
    response = rest_client.post(f"{base}&sid={sid}", content=too_big.encode())
    assert response.status_code == 413
    two_megabytes = rest_client.post(f"{base}&sid={sid}", content=b"4" + b"x" * 2_000_000)
    assert two_megabytes.status_code == 413


def test_the_server_keeps_serving_after_a_hostile_two_megabyte_message(secure, client_ip):
    async def scenario():
        hostile = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        token = await hostile.start_session()
        await hostile.send("x" * 2_000_000)
        await asyncio.sleep(2)
        await hostile.close()
        assert stored_user_texts(secure, token.split(".")[1]) == []
        other = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await other.start_session()
        assert "SpineCare assistant" in await other.say("hi")
        await other.close()

    run(scenario())
