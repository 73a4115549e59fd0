"""How the console starts under different settings: https cookies, the secret, the schema."""

from __future__ import annotations

import subprocess
import sys

from console_harness import (
    clean_env,
    csrf_token,
    new_client,
    seed_database,
    sign_in,
    start_console,
)
from sqlalchemy import inspect

from spinecare import settings
from spinecare.storage import db


def test_behind_https_cookies_are_secure_host_prefixed_and_hsts_is_sent(tmp_path):
    seeded = seed_database(tmp_path / "https.db")
    running = start_console(
        seeded.database_url,
        tmp_path / "console.log",
        SPINECARE_CONSOLE_URL="https://console.practice.example",
    )
    try:
        with new_client(running) as http:
            form = http.get("/login")
            assert form.headers["strict-transport-security"].startswith("max-age=")
            login_cookie = form.headers["set-cookie"]
            assert login_cookie.startswith("__Host-spinecare_login=") and "Secure" in login_cookie
            response = http.post(
                "/login",
                data={
                    "csrf_token": csrf_token(form.text),
                    "username": "consultant",
                    "password": "correct horse battery staple",
                },
                # httpx keeps Secure cookies for https; the console itself speaks http here.
                headers={"Cookie": login_cookie.split(";")[0]},
            )
            assert response.status_code == 303, response.text
            cookies = response.headers.get_list("set-cookie")
            sign_in_cookie = next(c for c in cookies if c.startswith("__Host-spinecare_console="))
            for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
                assert flag in sign_in_cookie
            public = http.get("/login", headers={"Host": "console.practice.example"})
            assert public.status_code == 200
            assert http.get("/login", headers={"Host": "other.example"}).status_code == 400
    finally:
        running.stop()


def test_without_a_secret_it_starts_and_warns_that_sessions_reset(tmp_path):
    seeded = seed_database(tmp_path / "nosecret.db")
    running = start_console(
        seeded.database_url, tmp_path / "console.log", SPINECARE_CONSOLE_SECRET=""
    )
    try:
        with new_client(running) as http:
            assert sign_in(http).status_code == 303
        assert "SPINECARE_CONSOLE_SECRET is not set" in running.log()
        assert "session ends when the console restarts" in running.log()
    finally:
        running.stop()


def test_a_short_secret_is_refused_with_advice(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spinecare.console"],
        cwd=settings.PROJECT_ROOT,
        env=clean_env(
            SPINECARE_DATABASE_URL=f"sqlite:///{tmp_path / 'short.db'}",
            SPINECARE_CONSOLE_SECRET="too-short",
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "at least 32 characters" in result.stderr and "token_urlsafe" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_migrates_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    running = start_console(url, tmp_path / "console.log")
    try:
        engine = db.make_engine(url)
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
        assert {"consultant_user", "console_session", "login_attempt"} <= tables
        assert "No consultant can sign in yet" in running.log()
    finally:
        running.stop()
