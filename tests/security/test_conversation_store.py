"""Conversations survive a restart, expire, and forget what the bot says it forgot (point 7).

The stored conversation is read straight from the tracker store's SQLite file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import uuid

import pytest
import redis
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.conversation_store import RedisConversationStore, SQLConversationStore
from spinecare import crypto, settings
from spinecare.conversations import forget_marker
from tests.security.support import (
    INTAKE,
    NAME,
    RED_FLAG,
    ChatSocket,
    conversation_rows,
    leaks,
)
from tests.support.aio import run

pytestmark = pytest.mark.integration

DOMAIN = Domain.load(str(settings.PROJECT_ROOT / "domain.yml"))


def stored(secure, chat) -> str:
    return "\n".join(conversation_rows(secure, chat.sender))


def answer(chat, steps) -> None:
    for text, expected in steps:
        assert expected.lower() in chat.say(text).text.lower(), text


@pytest.mark.parametrize(
    ("answers", "ending", "bot_says"),
    [
        (INTAKE[:8], "cancel", "Nothing was saved"),
        (INTAKE[:2], "no", "18"),  # under 18
        (INTAKE[:8], RED_FLAG, "911"),
        (INTAKE, None, "Do you agree"),  # declined consent: confirm the summary, then "no"
    ],
    ids=["cancel", "under-18", "red-flag", "declined"],
)
def test_answers_are_gone_from_the_store_when_the_bot_says_so(
    secure, chat, answers, ending, bot_says
):
    answer(chat, answers)
    assert leaks(stored(secure, chat)), "the answers were stored while the intake ran"
    if ending is None:
        assert bot_says in chat.say("yes").text
        ending = "no"
    chat.say(ending)
    data = stored(secure, chat)
    assert not leaks(data), leaks(data)
    assert "Here is what I have" not in data  # the bot's echo of the answers too
    # The conversation goes on normally afterwards.
    assert "How can I help" in chat.say("hi").text


def test_after_a_successful_request_the_conversation_keeps_no_second_copy(secure, chat):
    answer(chat, INTAKE)
    chat.say("yes")
    assert "reference is" in chat.say("yes").text
    assert not leaks(stored(secure, chat))


def test_a_killed_rasa_server_comes_back_and_the_intake_continues(secure, chat, client_ip):
    answer(chat, INTAKE[:4])  # next: when was the MRI taken

    async def socket_mid_intake():
        widget = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        await widget.start_session()
        assert "first and last name" in await widget.say(INTAKE[0][0])
        await widget.close()
        return widget.token

    token = run(socket_mid_intake())
    rasa = secure.service("rasa server")
    os.killpg(rasa.process.pid, signal.SIGKILL)
    rasa.process.wait()
    secure.restart("rasa server")

    assert "Which part of your spine" in chat.say("about three months ago").text

    async def socket_after_restart():
        widget = await ChatSocket(secure.conf.rasa_url, None, client_ip).connect()
        assert await widget.start_session(token) == token
        assert "18 or older" in await widget.say(NAME)
        await widget.close()

    run(socket_after_restart())


# --- the stores themselves, without a server -------------------------------------------


def intake_tracker(sender: str, old: float = 0) -> DialogueStateTracker:
    at = time.time() - old
    events = [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered("free MRI review please", {"name": "request_mri_review"}, timestamp=at),
        ActiveLoop("mri_review_form", timestamp=at),
        BotUttered("What is your first and last name?", timestamp=at),
        UserUttered(NAME, {"name": "inform"}, timestamp=at),
        SlotSet("full_name", NAME, timestamp=at),
    ]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def cancelled(tracker: DialogueStateTracker) -> DialogueStateTracker:
    marker = forget_marker("mri_review_form")
    tracker.update(ActiveLoop(None))
    tracker.update(SlotSet("full_name", None))
    tracker.update(SlotSet("requested_slot", None, metadata=marker["metadata"]))
    return tracker


def test_the_sql_store_forgets_on_the_marker_and_deletes_expired_conversations(tmp_path):
    store = SQLConversationStore(DOMAIN, url=f"sqlite:///{tmp_path / 'c.db'}", retention_hours=1)
    assert oct((tmp_path / "c.db").stat().st_mode & 0o777) == "0o600"
    sender = uuid.uuid4().hex
    run(store.save(intake_tracker(sender)))
    assert NAME in run(store.retrieve(sender)).events[4].text
    raw = sqlite3.connect(tmp_path / "c.db").execute("SELECT data FROM events").fetchall()
    assert raw and all(row[0].startswith(crypto.TOKEN_PREFIX) for row in raw)
    assert NAME not in str(raw) and NAME in str(
        [crypto.decode_stored(r[0], settings.load()) for r in raw]
    )
    run(store.save(cancelled(run(store.retrieve(sender)))))
    again = run(store.retrieve(sender))
    assert all(NAME not in str(event.as_dict()) for event in again.events)
    assert again.get_slot("requested_slot") is None and again.active_loop_name is None

    stale = uuid.uuid4().hex
    run(store.save(intake_tracker(stale, old=2 * 3600)))
    assert run(store.retrieve(stale)) is None  # expired: gone on the next read
    also_stale = uuid.uuid4().hex
    run(store.save(intake_tracker(also_stale, old=2 * 3600)))
    assert store.sweep() > 0  # and gone in the periodic sweep
    assert also_stale not in run(store.keys()) and sender in run(store.keys())


def test_the_redis_store_forgets_on_the_marker_and_expires(tmp_path):
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is needed on 127.0.0.1:6379 ({type(error).__name__})")
    store = RedisConversationStore(DOMAIN, url=url, retention_hours=0.5)
    sender = f"test-{uuid.uuid4().hex}"
    try:
        run(store.save(intake_tracker(sender)))
        key = store.key_prefix + sender
        assert NAME not in store.red.get(key)  # encrypted at rest
        assert NAME in crypto.decode_stored(store.red.get(key), settings.load())
        assert 1700 < store.red.ttl(key) <= 1800
        run(store.save(cancelled(run(store.retrieve(sender)))))
        assert NAME not in crypto.decode_stored(store.red.get(key), settings.load())
        assert run(store.retrieve(sender)).active_loop_name is None
    finally:
        store.red.delete(store.key_prefix + sender)
