"""The scaled-out setup (issue 13, point 4): nginx, two Rasa replicas, shared state.

One stack serves the whole module (starting two replicas takes most of its time):
nginx on the public Rasa port, two Rasa servers with their own action servers, the
shared Redis tracker store, the Redis lock store, a SQLite requests database shared
by both action servers. The replica is killed in the last test, so it runs last.

Each conversation presents a client address of its own (as a TLS proxy in front of
nginx would report it, SPINECARE_PROXIES_COUNT=1), so the per-address rate limits
are those of one patient and the X-Forwarded-For chain through nginx is exercised.

Before the kill, what a hostile client tries on the public nginx port, asserted as
tests/security asserts it against one process: no token, a forged token, a 2 MB
body, forged socket.io session ids, markup in a name. When the stack has stopped,
the persona's details must be in no process's output: nginx's error log (it has no
access log) and servers.log, where every child (replicas, action servers, nginx's
stderr, the chat page) writes its stdout and stderr.

One file, past 400 lines: the stack is module-scoped and takes minutes to start;
a conftest fixture with scope="package" would live for the whole session here (no
__init__.py, so pytest makes it session-scoped) and keep two replicas running
through the rest of `make test`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import redis
import socketio

from spinecare import crypto, devserver, scaled, settings
from spinecare.scenarios import RestConversation
from spinecare.storage import schema
from spinecare.training import train_if_needed
from tests.security.support import ChatSocket, forged_tokens, leaks
from tests.support.aio import run
from tests.support.intake import HAPPY_ANSWERS, export

pytestmark = pytest.mark.integration

REST_TOKEN = secrets.token_urlsafe(32)
WRONG_TOKEN = secrets.token_urlsafe(32)  # as long as REST_TOKEN, not it
CONVERSATIONS = 50  # the acceptance level
# HAPPY_ANSWERS' persona (tests/support/intake.py) as it could appear in a log line.
PERSONA = {
    "name": r"\bjon\W{0,3}doe\b",
    "phone": r"555\W?123\W?4567",
    "email": r"jon\.doe@mail\.com",
    # Not a process id ("[10001]", nginx's "10001#10001") nor nginx's connection "*10001".
    "zip": r"(?<![\d\[#*])10001(?![\d\]#])",
    "symptoms": r"shooting pain|numbness in my foot",
}


@pytest.fixture(scope="module")
def scaled_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scaled")
    env = {
        "SPINECARE_REST_TOKEN": REST_TOKEN,
        "SPINECARE_PROXIES_COUNT": "1",
        "SPINECARE_SESSION_SECRET": secrets.token_urlsafe(48),
        "SPINECARE_ACTION_SERVER_SECRET": secrets.token_urlsafe(48),
        "SPINECARE_OUTBOX_KINDS": "none",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        conf = settings.load()
    conf = dataclasses.replace(
        conf,
        rasa_port=devserver.free_port(),
        webchat_port=devserver.free_port(),
        console_port=devserver.free_port(),
        database_url=f"sqlite:///{tmp / 'requests.db'}",
        # SQLite here would be replaced by SPINECARE_REDIS_URL: say it outright.
        tracker_store_url=conf.redis_url,
    )
    schema.migrate(conf.database_url, settings.load())
    log_path = tmp / "servers.log"
    with log_path.open("w") as log, pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            stack = scaled.start(
                conf, train_if_needed(), state_dir=tmp / "state", log=log,
                console=False, dispatcher=False,
            )  # fmt: skip
        except Exception:
            log.flush()
            print(log_path.read_text()[-5000:])
            raise
        try:
            yield stack
        finally:
            stack.stop()
    # Every process has stopped and flushed. No patient text in nginx's own log (there is
    # no access log at all), nor in what the replicas, action servers and nginx wrote.
    error_log = (tmp / "state" / "error.log").read_text()
    assert not persona_in(error_log), persona_in(error_log)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    assert output.count("Rasa server is up and running") == 2, "replicas' output not captured"
    assert output.count("Action endpoint is up and running") == 2, "action servers' output"
    assert not persona_in(output), persona_in(output)


def persona_in(text: str) -> dict[str, list[str]]:
    """PERSONA's details in `text`, also behind \\xHH, \\uHHHH or %HH escapes.

    nginx writes a logged body's quotes as \\x22, which hides "\\x2210001" from a
    plain search for the ZIP.
    """
    decoded = re.sub(
        r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))",
        lambda found: chr(int(found[1] or found[2], 16)),
        text,
    )
    return leaks(f"{text}\n{unquote(decoded)}", PERSONA)


@pytest.fixture(scope="module")
def store(scaled_stack):
    client = redis.Redis.from_url(scaled_stack.conf.tracker_store_url)
    yield client
    client.close()


def client_address() -> str:
    value = uuid.uuid4().int
    return f"10.{value % 250 + 1}.{value // 250 % 250 + 1}.{value // 62500 % 250 + 1}"


def conversation(stack, client: httpx.Client) -> RestConversation:
    chat = RestConversation(stack.conf.rasa_url, client, token=REST_TOKEN)
    chat.headers["X-Forwarded-For"] = client_address()
    return chat


def stored_events(store, sender: str) -> list[dict]:
    raw = store.get(f"tracker:{sender}")
    assert raw is not None, f"no stored conversation for {sender}"
    return json.loads(crypto.decode_stored(raw, settings.load()))[
        "events"
    ]  # encrypted at rest (issue 12)


def turns(events: list[dict]) -> list[tuple[str, list[str]]]:
    """Each user message with the bot messages that follow it, until the next user message."""
    result: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            result.append((event.get("text") or "", []))
        elif event["event"] == "bot" and result:
            result[-1][1].append(event.get("text") or "")
    return result


def test_concurrent_conversations_are_stored_whole_in_order(scaled_stack, store):
    """50 intakes at once through nginx: every message stored once, in order, with its replies."""
    steps = HAPPY_ANSWERS[:6]
    failures: list[str] = []
    replies_seen: dict[str, list[str]] = {}

    def one(client: httpx.Client) -> str:
        chat = conversation(scaled_stack, client)
        seen = []
        for text, expected in steps:
            reply = chat.say(text).text
            if expected.lower() not in reply.lower():
                failures.append(f"{chat.sender}: {text!r} -> {reply!r}")
            seen.append(reply)
        replies_seen[chat.sender] = seen
        return chat.sender

    limits = httpx.Limits(max_connections=CONVERSATIONS)
    with (
        httpx.Client(timeout=180, limits=limits) as client,
        ThreadPoolExecutor(CONVERSATIONS) as pool,
    ):
        senders = list(pool.map(lambda _: one(client), range(CONVERSATIONS)))
    assert not failures, failures[:5]

    for sender in senders:
        stored = turns(stored_events(store, sender))
        assert [text for text, _ in stored] == [text for text, _ in steps], sender
        for (text, bot), expected_reply, (_, expected) in zip(
            stored, replies_seen[sender], steps, strict=True
        ):
            assert bot, f"{sender}: no reply stored after {text!r}"
            assert expected.lower() in "\n".join(bot).lower(), (sender, text, bot)
            assert "\n".join(bot) == expected_reply, (sender, text)


def test_the_widget_keeps_its_conversation_across_a_reconnect(scaled_stack, store):
    """socket.io through nginx (sticky by address): a reconnect resumes the same conversation."""
    origin = scaled_stack.conf.chat_page_origins[0]

    async def scenario() -> str:
        first = await ChatSocket(scaled_stack.conf.rasa_url, origin).connect()
        token = await first.start_session()
        assert "first and last name" in await first.say("I'd like the free MRI review")
        assert "18 or older" in await first.say("Jon Doe")
        await first.close()
        again = await ChatSocket(scaled_stack.conf.rasa_url, origin).connect()
        assert await again.start_session(token) == token
        assert "Have you had an MRI" in await again.say("yes")
        await again.close()
        return token

    token = run(scenario())
    conversation_id = token.split(".")[1]
    stored = [text for text, _ in turns(stored_events(store, conversation_id))]
    assert stored[-3:] == ["I'd like the free MRI review", "Jon Doe", "yes"]


@pytest.mark.browser
def test_the_widget_behind_nginx_keeps_its_history_across_a_reload(scaled_stack, browser):
    """The real widget (chromium) on the chat page, talking to nginx: reloaded, same history."""
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"http://{scaled_stack.conf.host}:{scaled_stack.conf.webchat_port}/")
        replies = page.locator(".rw-response")
        expect(replies.filter(has_text="SpineCare assistant")).to_have_count(1, timeout=60_000)
        box = page.locator(".rw-new-message")
        box.fill("I'd like the free MRI review")
        box.press("Enter")
        expect(replies.filter(has_text="first and last name")).to_have_count(1, timeout=60_000)

        page.reload()
        expect(replies.filter(has_text="first and last name")).to_have_count(1, timeout=60_000)
        expect(page.locator(".rw-client").filter(has_text="free MRI review")).to_have_count(1)
        box.fill("Jon Doe")
        box.press("Enter")
        # The same conversation goes on: the form asks its next question.
        expect(replies.filter(has_text="18 or older")).to_have_count(1, timeout=60_000)
    finally:
        context.close()


# --- what a hostile client tries on nginx's public port (tests/security, through nginx) ---
def webhook(stack) -> str:
    return f"{stack.conf.rasa_url}/webhooks/rest/webhook"


def hostile_client() -> httpx.Client:
    """A client of its own address, as the TLS proxy in front of nginx would report it."""
    return httpx.Client(timeout=180, headers={"X-Forwarded-For": client_address()})


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": f"Bearer {WRONG_TOKEN}"}, {"Authorization": f"Basic {REST_TOKEN}"}],
    ids=["missing", "wrong-same-length", "basic"],
)
def test_rest_without_the_token_nothing_runs(scaled_stack, store, headers):
    assert len(WRONG_TOKEN) == len(REST_TOKEN) and WRONG_TOKEN != REST_TOKEN
    sender = f"intruder-{uuid.uuid4().hex[:8]}"
    with hostile_client() as client:
        response = client.post(
            webhook(scaled_stack),
            json={"sender": sender, "message": HAPPY_ANSWERS[0][0]},
            headers=headers,
        )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="spinecare"'
    assert response.json() == {"error": "a valid bearer token is required"}  # no reply
    assert store.get(f"tracker:{sender}") is None


@pytest.mark.parametrize(
    "body",
    [{"message": "hi"}, {"sender": "../../etc", "message": "hi"}, {"sender": "x" * 129}],
    ids=["no-sender", "path-sender", "long-sender"],
)
def test_rest_with_the_token_still_needs_a_valid_sender(scaled_stack, store, body):
    """REST binds no sender to a caller (its callers are trusted back-ends), but validates it."""
    headers = {"Authorization": f"Bearer {REST_TOKEN}"}
    with hostile_client() as client:
        response = client.post(webhook(scaled_stack), json=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"error": "sender is required: 1-128 letters, digits or _.:@-"}
    assert store.get("tracker:default") is None  # Rasa's shared conversation


def test_a_two_megabyte_body_is_refused_by_nginx_and_the_stack_still_answers(scaled_stack, store):
    sender = f"huge-{uuid.uuid4().hex[:8]}"
    body = b'{"sender": "' + sender.encode() + b'", "message": "' + b"c" * 2_000_000 + b'"}'
    headers = {"Authorization": f"Bearer {REST_TOKEN}", "Content-Type": "application/json"}
    base = f"{scaled_stack.conf.rasa_url}/socket.io/?EIO=4&transport=polling"
    with hostile_client() as client:
        response = client.post(webhook(scaled_stack), content=body, headers=headers)
        assert response.status_code == 413
        assert "<center>nginx</center>" in response.text  # nginx refused it, not a replica
        error_log = Path(scaled_stack.service("nginx").command[-1])  # the log teardown reads
        assert "client intended to send too large body" in error_log.read_text()
        # The same through socket.io's polling transport.
        handshake = client.get(base)
        assert handshake.status_code == 200
        sid = json.loads(handshake.text[1:])["sid"]
        polled = client.post(f"{base}&sid={sid}", content=b"4" + b"x" * 2_000_000)
        assert polled.status_code == 413 and "<center>nginx</center>" in polled.text
        # Between the message limit and the body cap: passed on, read, refused politely.
        limit = scaled_stack.conf.max_message_chars
        medium = {"sender": sender, "message": "c" * 30_000}
        response = client.post(webhook(scaled_stack), json=medium, headers=headers)
        assert response.status_code == 200
        assert f"at most {limit} characters" in response.json()[0]["text"]
        assert store.get(f"tracker:{sender}") is None
        # And a patient's next message is answered as usual.
        assert "SpineCare assistant" in conversation(scaled_stack, client).say("hi").text


def test_socketio_session_ids_the_server_did_not_sign_get_a_fresh_session(scaled_stack, store):
    """Forged and replayed session ids through nginx, as tests/security/test_socketio_sessions."""
    url, origin = scaled_stack.conf.rasa_url, scaled_stack.conf.chat_page_origins[0]

    async def scenario() -> str:
        victim = await ChatSocket(url, origin, client_address()).connect()
        await victim.start_session()
        assert "first and last name" in await victim.say(HAPPY_ANSWERS[0][0])
        assert "18 or older" in await victim.say("Jon Doe")
        conversation_id = victim.token.split(".")[1]
        for forged in forged_tokens(victim.token):
            attacker = await ChatSocket(url, None, client_address()).connect()
            given = await attacker.start_session(forged)
            assert given != victim.token and conversation_id not in given, forged
            await attacker.close()
        # A session of its own, then the victim's full id on its messages: dropped.
        attacker = await ChatSocket(url, None, client_address()).connect()
        await attacker.start_session()
        await attacker.send("yes", victim.token)
        assert await attacker.replies(first_within=5) == []
        assert await victim.replies(first_within=5) == []
        await attacker.close()
        # The victim's conversation is where it was: the next answer is taken as theirs.
        assert "Have you had an MRI" in await victim.say("yes")
        await victim.close()
        return conversation_id

    conversation_id = run(scenario())
    stored = [text for text, _ in turns(stored_events(store, conversation_id))]
    assert stored[-3:] == [HAPPY_ANSWERS[0][0], "Jon Doe", "yes"]


def test_another_site_cannot_open_the_chat_socket_through_nginx(scaled_stack):
    async def scenario() -> None:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await ChatSocket(scaled_stack.conf.rasa_url, "https://evil.example").connect()
        page = scaled_stack.conf.chat_page_origins[0]
        await (await ChatSocket(scaled_stack.conf.rasa_url, page).connect()).close()

    run(scenario())


def test_markup_typed_through_nginx_is_refused_in_a_name_and_echoed_escaped(scaled_stack):
    """As tests/security/test_hostile_input_browser.py, read from the REST replies."""
    symptoms = "[click me](javascript:void) pain <img src=x onerror=alert> **down my leg**"
    answers = list(HAPPY_ANSWERS)
    answers[6] = (symptoms, "How long")
    with hostile_client() as client:
        chat = conversation(scaled_stack, client)
        assert "first and last name" in chat.say(answers[0][0]).text
        refused = chat.say("[Jon](javascript:void) Doe").text
        assert "A name can only have letters" in refused and "javascript" not in refused
        for text, expected in answers[1:]:
            reply = chat.say(text).text
            assert expected.lower() in reply.lower(), (text, reply)
    escaped = r"\[click me\](javascript:void) pain \<img src=x onerror=alert\> \*\*down my leg\*\*"
    assert f"Symptoms: {escaped}" in reply, reply
    assert "[click me](" not in reply and not re.search(r"(?<!\\)<img", reply)


def test_a_killed_replica_loses_no_conversation_and_no_request(scaled_stack, store):
    """SIGKILL one replica between two turns of 8 intakes: all finish on the other, once each."""
    count = 8
    halfway = 7
    answers = [*HAPPY_ANSWERS, ("yes", "Reply STOP"), ("yes", "MRI-")]
    at_halfway = threading.Barrier(count + 1, timeout=240)
    resume = threading.Event()
    failures: list[str] = []
    done: dict[str, str] = {}

    def one(client: httpx.Client) -> None:
        chat = conversation(scaled_stack, client)
        try:
            for number, (text, expected) in enumerate(answers):
                if number == halfway:
                    at_halfway.wait()
                    resume.wait(60)
                reply = chat.say(text).text
                if expected.lower() not in reply.lower():
                    failures.append(f"{chat.sender} step {number}: {text!r} -> {reply!r}")
                    return
            done[chat.sender] = reply
        except Exception as error:
            failures.append(f"{chat.sender}: {error!r}")
            if not at_halfway.broken and number < halfway:
                at_halfway.abort()

    victim = scaled_stack.service("rasa server 1")
    with httpx.Client(timeout=180) as client, ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(one, client) for _ in range(count)]
        at_halfway.wait()
        os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=30)
        killed_at = time.monotonic()
        resume.set()
        for future in futures:
            future.result()
    assert not failures, failures[:5]
    assert len(done) == count
    assert time.monotonic() - killed_at < 180

    rows = export(scaled_stack.conf.database_url)
    for sender, final_reply in done.items():
        mine = [row for row in rows if row["conversation_id"] == sender]
        assert len(mine) == 1, (sender, len(mine))
        assert mine[0]["reference"] in final_reply
        # A stored request's answers are redacted from the conversation (minimum necessary:
        # README, "Conversations that survive a restart"); the user events stay, one each.
        events = stored_events(store, sender)
        users = [event for event in events if event["event"] == "user"]
        assert len(users) == len(answers), sender
        assert len({event["parse_data"]["message_id"] for event in users}) == len(answers)
        for (stored_text, bot), (text, _) in zip(turns(events), answers, strict=True):
            assert stored_text in (text, ""), (sender, stored_text, text)
            assert bot, f"{sender}: no reply stored after {text!r}"
        assert [event["timestamp"] for event in users] == sorted(e["timestamp"] for e in users)
