"""No patient text in any process's output, at INFO and at DEBUG, even when things break (point 4).

Each level gets a whole stack of its own (Rasa, action server, chat page, console,
dispatcher), with SPINECARE_PRACTICE_HOURS unparsable so that "talk to someone"
crashes an action mid-intake. The conversations reach every path where Rasa or a
library would log a message: a full intake over REST and over socket.io, the
crash, a red flag, a "/"-prefixed message (Rasa warns with its full text), an
over-long message and a malformed REST body. Then every line every process wrote
is searched for the persona's name, phone, email, ZIP and symptom words.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from spinecare.scenarios import RestConversation
from tests.security.support import (
    INTAKE,
    NAME,
    PHONE,
    RED_FLAG,
    ChatSocket,
    leaks,
    running_stack,
)
from tests.support.aio import run

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["INFO", "DEBUG"])
def logged(request, tmp_path_factory):
    env = {"SPINECARE_LOG_LEVEL": request.param, "SPINECARE_PRACTICE_HOURS": "whenever, really"}
    tmp = tmp_path_factory.mktemp(f"logs-{request.param.lower()}")
    with running_stack(tmp, env) as stack:
        yield stack
    # the stack has stopped: every process has flushed its output


def drive_every_path(stack) -> list[str]:
    """The conversations; returns what the patient was told when an action crashed."""
    told = []
    with httpx.Client(timeout=120) as client:
        chat = RestConversation(stack.conf.rasa_url, client)
        for answer, expected in INTAKE:
            assert expected.lower() in chat.say(answer).text.lower(), answer
        chat.say("yes")
        assert "reference is" in chat.say("yes").text

        # An action crashes in the middle of an intake: a polite reply, the question again.
        crash = RestConversation(stack.conf.rasa_url, client)
        for answer, _ in INTAKE[:10]:
            crash.say(answer)
        reply = crash.say("can I talk to someone?").text
        told.append(reply)
        assert "went wrong on our side" in reply and "email" in reply.lower()
        assert "ZIP code" in crash.say("maria.quixley@example.org").text

        # A red flag in the middle of an intake, then "/"-prefixed messages.
        flagged = RestConversation(stack.conf.rasa_url, client)
        for answer, _ in INTAKE[:7]:
            flagged.say(answer)
        assert "911" in flagged.say(RED_FLAG).text
        flagged.say(f"/{NAME} {PHONE} 99501")
        flagged.say(f'/inform{{"name": "{NAME}", "zip": "99501"}}')
        flagged.say(f"/{RED_FLAG}")
        flagged.say(f"I am {NAME} and " + "my calf hurts " * 200)  # over the length limit
        client.post(
            f"{stack.conf.rasa_url}/webhooks/rest/webhook",
            content=f'{{"sender": "broken", "message": "{NAME} {PHONE}"'.encode(),
        )

    async def over_socketio():
        page = stack.conf.chat_page_origins[0]
        chat = await ChatSocket(stack.conf.rasa_url, page).connect()
        await chat.start_session()
        for answer, expected in INTAKE[:8]:
            assert expected.lower() in (await chat.say(answer)).lower(), answer
        await chat.send(RED_FLAG)
        await chat.replies()
        await chat.close()

    run(over_socketio())
    return told


def test_no_process_writes_patient_text(logged):
    assert drive_every_path(logged)
    logged.stop()  # every process exits and has flushed what it wrote
    text = Path(logged.log.name).read_text(encoding="utf-8", errors="replace")
    assert "Rasa server is up and running" in text, "the servers' output was not captured"
    assert '"event": "action_failed"' in text  # the crash happened, and was logged safely
    assert not leaks(text), leaks(text)
