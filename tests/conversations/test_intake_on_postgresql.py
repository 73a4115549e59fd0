"""The whole intake against PostgreSQL: a second assistant whose database is the real server."""

from __future__ import annotations

import dataclasses

import pytest

from spinecare import devserver, settings
from spinecare.scenarios import RestConversation
from spinecare.training import train_if_needed
from tests.support.intake import HAPPY_ANSWERS, answer_all, rows_for
from tests.support.postgres import fresh_database

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres_assistant(tmp_path_factory):
    with fresh_database("spinecare_e2e") as url:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=url,
        )
        log_path = tmp_path_factory.mktemp("pg-logs") / "servers.log"
        with log_path.open("w") as log:
            stack = devserver.start(
                conf, train_if_needed(), webchat=False, console=False, dispatcher=False, log=log
            )
            try:
                yield conf
            finally:
                stack.stop()


def test_happy_path_is_stored_in_postgresql(postgres_assistant, http):
    chat = RestConversation(postgres_assistant.rasa_url, http)
    answer_all(chat, HAPPY_ANSWERS)
    chat.say("yes")
    done = chat.say("yes").text
    (row,) = rows_for(postgres_assistant.database_url, chat)
    assert row["reference"] in done
    assert row["phone"] == "+15551234567" and row["state"] == "NY"
    assert row["consent"] is True and row["channel"] == "rest"
    chat.say("yes")
    assert len(rows_for(postgres_assistant.database_url, chat)) == 1
