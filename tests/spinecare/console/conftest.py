"""Fixtures for the console tests; the helpers behind them are in `console_harness.py`."""

from __future__ import annotations

import pytest
from console_harness import (
    Seeded,
    csrf_token,
    new_client,
    seed_database,
    sign_in,
    start_console,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed_database(tmp_path_factory.mktemp("console-db") / "console.db")


@pytest.fixture(scope="module")
def console(seeded, tmp_path_factory):
    running = start_console(
        seeded.database_url, tmp_path_factory.mktemp("console-log") / "console.log"
    )
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-3000:]


@pytest.fixture
def client(console):
    """A signed-in client; its `token` attribute is the session's CSRF token."""
    with new_client(console) as http:
        response = sign_in(http)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/requests"
        http.token = csrf_token(http.get("/requests").text)
        yield http
