"""Helpers for the console tests: a seeded database, the console subprocess, a signed-in client.

Each test module gets its own SQLite file, migrated with `schema.migrate`, seeded
through `repository.submit_request`, and a consultant added through the real
`spinecare users add --password-stdin`, so the tests cover what an operator runs.
The fixtures that use these live in `conftest.py`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from spinecare import settings
from spinecare.devserver import free_port
from spinecare.storage import db, repository
from spinecare.storage.models import AuditEvent, OutboxJob
from spinecare.storage.schema import migrate
from tests.support.requests import mri_review_fields

SPINECARE = Path(sys.executable).with_name("spinecare")
USERNAME = "consultant"
PASSWORD = "correct horse battery staple"
SECRET = "test-console-secret-" + "k" * 40
XSS_NAME = "<script>alert(1)</script>"


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update(TF_CPP_MIN_LOG_LEVEL="3", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env.update(overrides)
    return env


def cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    assert SPINECARE.exists(), f"{SPINECARE} is missing: install the project (pip install -e .)"
    result = subprocess.run(
        [str(SPINECARE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean_env(SPINECARE_DATABASE_URL=database_url, USER="cli-admin"),
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def add_user(database_url: str, username: str = USERNAME, password: str = PASSWORD) -> None:
    result = cli(database_url, "users", "add", username, "--password-stdin", stdin=password + "\n")
    assert result.returncode == 0, result.stderr


def request_fields(**overrides) -> dict:
    return mri_review_fields(
        **{
            "first_name": "Jon",
            "last_name": "Doe",
            "email": "Jon.Doe@mail.com",
            "symptoms": "Pain down my left leg,\nworse when sitting.",
            "treatments_tried": ["physical_therapy", "injections"],
            "conversation_id": "conv-console",
            **overrides,
        }
    )


@dataclass
class Seeded:
    database_url: str
    references: dict[str, str] = field(default_factory=dict)

    def sessions(self):
        return db.make_session_factory(db.make_engine(self.database_url))

    def submit(self, key: str, **overrides) -> str:
        with self.sessions()() as session:
            reference = repository.submit_request(
                session,
                request_fields(conversation_id=f"conv-{key}", **overrides),
                f"console-test-{key}",
                outbox_kinds=("email", "webhook"),
            )
        self.references[key] = reference
        return reference

    def audit(self, actor: str | None = None) -> list[tuple[str, str, str | None]]:
        with self.sessions()() as session:
            query = select(AuditEvent).order_by(AuditEvent.id)
            if actor is not None:
                query = query.where(AuditEvent.actor == actor)
            return [(e.actor, e.action, e.reference) for e in session.execute(query).scalars()]

    def jobs(self, reference: str) -> dict[str, tuple[int, str]]:
        """Kind to (job id, status) for a request's outbox jobs."""
        with self.sessions()() as session:
            return {
                job.kind: (job.id, job.status) for job in repository.outbox_jobs(session, reference)
            }

    def status(self, reference: str) -> str:
        with self.sessions()() as session:
            return repository.get_request(session, reference).status


def seed_database(path: Path) -> Seeded:
    """Three requests: a plain one, one whose name is a script tag, one with a dead job."""
    seeded = Seeded(f"sqlite:///{path}")
    migrate(seeded.database_url, settings.load())
    seeded.submit("older", first_name="Ann", last_name="Lee", phone="+13105550100")
    seeded.submit("xss", first_name=XSS_NAME, last_name="O'Hara & <b>Sons</b>")
    dead = seeded.submit("dead", first_name="Dee", last_name="Dead", email="dee@example.org")
    with seeded.sessions()() as session:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.request_reference == dead, OutboxJob.kind == "webhook")
            .values(status="dead", attempts=8, last_error="HTTP 500 from <webhook>")
        )
        session.commit()
    add_user(seeded.database_url)
    return seeded


@dataclass
class RunningConsole:
    url: str
    database_url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_console(database_url: str, log_path: Path, **env: str) -> RunningConsole:
    port = free_port()
    log = log_path.open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "spinecare.console"],
        cwd=settings.PROJECT_ROOT,
        env=clean_env(
            **{
                "SPINECARE_DATABASE_URL": database_url,
                "SPINECARE_HOST": "127.0.0.1",
                "SPINECARE_CONSOLE_PORT": str(port),
                "SPINECARE_CONSOLE_SECRET": SECRET,
                **env,
            }
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    running = RunningConsole(f"http://127.0.0.1:{port}", database_url, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the console exited while starting:\n{running.log()[-3000:]}")
        try:
            if httpx.get(f"{running.url}/healthz", timeout=2).status_code == 200:
                return running
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    running.stop()
    pytest.fail(f"the console did not answer within 60 s:\n{running.log()[-3000:]}")


# --- an httpx client that signs in like a browser -------------------------------------

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(page: str) -> str:
    match = _TOKEN.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def new_client(console: RunningConsole) -> httpx.Client:
    return httpx.Client(base_url=console.url, follow_redirects=False, timeout=30)


def sign_in(
    client: httpx.Client, username: str = USERNAME, password: str = PASSWORD
) -> httpx.Response:
    form = client.get("/login")
    assert form.status_code == 200, form.text
    return client.post(
        "/login",
        data={"csrf_token": csrf_token(form.text), "username": username, "password": password},
    )
