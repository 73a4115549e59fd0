"""Sign-in rate limits on the running console, each test on its own database and server.

Limits here: 5 failures per username (the default) and 8 per client IP, within 15
minutes, so both limits can be reached separately.
"""

from __future__ import annotations

import pytest
from console_harness import PASSWORD, USERNAME, new_client, seed_database, sign_in, start_console

LOCKED = "Too many sign-in attempts. Try again in 15 minutes."
WRONG = "The username or password is not correct."


@pytest.fixture
def limited(tmp_path):
    seeded = seed_database(tmp_path / "limits.db")
    running = start_console(
        seeded.database_url, tmp_path / "console.log", SPINECARE_CONSOLE_LOGIN_IP_MAX_FAILURES="8"
    )
    yield running
    running.stop()


def fail(http, username: str, times: int) -> None:
    for _ in range(times):
        response = sign_in(http, username, "a wrong password, surely")
        assert response.status_code == 401 and WRONG in response.text


def test_five_failures_lock_the_username_even_for_the_right_password(limited):
    with new_client(limited) as http:
        fail(http, USERNAME, 5)
        locked = sign_in(http)
        assert locked.status_code == 429
        assert LOCKED in locked.text
        assert "spinecare_console=" not in locked.headers.get("set-cookie", "")
        assert http.get("/requests").status_code == 303


def test_unknown_usernames_lock_the_same_way(limited):
    with new_client(limited) as http:
        fail(http, "no-such-person", 5)
        locked = sign_in(http, "no-such-person", PASSWORD)
        assert locked.status_code == 429 and LOCKED in locked.text
        assert sign_in(http).status_code == 303


def test_a_lock_survives_a_restart(limited, tmp_path):
    with new_client(limited) as http:
        fail(http, USERNAME, 5)
    limited.stop()
    restarted = start_console(limited.database_url, tmp_path / "restarted.log")
    try:
        with new_client(restarted) as http:
            locked = sign_in(http)
            assert locked.status_code == 429 and LOCKED in locked.text
    finally:
        restarted.stop()


def test_too_many_failures_from_one_address_lock_every_username(limited):
    with new_client(limited) as http:
        for number in range(8):
            fail(http, f"guess-{number}", 1)
        locked = sign_in(http)
        assert locked.status_code == 429 and LOCKED in locked.text


def test_a_successful_sign_in_clears_the_username_count(limited):
    with new_client(limited) as http:
        fail(http, USERNAME, 4)
        assert sign_in(http).status_code == 303
    with new_client(limited) as http:
        fail(http, USERNAME, 3)
        assert sign_in(http).status_code == 303
