"""Start and stop the assistant's processes together.

Action server, Rasa server, chat page, consultant console and outbox dispatcher.

Why one supervisor: `make run` and the integration tests need the same
processes wired the same way (ports, endpoints, CORS), and all of them must stop
together on Ctrl-C or at the end of a test run, leaving nothing listening.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from spinecare import settings
from spinecare.training import train_if_needed

VENV_BIN = Path(sys.executable).parent


@dataclass
class Service:
    """One child process and the URL that answers once it is ready."""

    name: str
    command: list[str]
    ready_url: str | None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None


def _wait_ready(service: Service, timeout: float) -> None:
    if service.ready_url is None:
        time.sleep(1)
        if service.process and service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with status {service.process.returncode}")
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process and service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited with status {service.process.returncode} while starting"
            )
        try:
            with urllib.request.urlopen(service.ready_url, timeout=2) as response:  # noqa: S310
                if response.status < 500:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{service.name} did not answer on {service.ready_url} in {timeout:.0f}s")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, for servers of tests and benchmarks."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def write_endpoints(actions_port: int, host: str, path: Path) -> Path:
    """An endpoints.yml pointing Rasa at the action server on the given port."""
    path.write_text(f'action_endpoint:\n  url: "http://{host}:{actions_port}/webhook"\n')
    return path


@dataclass
class Stack:
    """The running processes; `stop()` ends every one of them."""

    services: list[Service]
    conf: settings.Settings

    def stop(self) -> None:
        for service in reversed(self.services):
            proc = service.process
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for service in reversed(self.services):
            proc = service.process
            if not proc:
                continue
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def build_services(
    conf: settings.Settings,
    model: Path,
    endpoints: Path,
    webchat: bool = True,
    console: bool = True,
    dispatcher: bool = True,
) -> list[Service]:
    """The commands for each process, on the ports `conf` names, all bound to loopback."""
    origins = [f"http://{conf.host}:{conf.webchat_port}", f"http://localhost:{conf.webchat_port}"]
    services = [
        Service(
            "action server",
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(conf.actions_port)],
            f"http://{conf.host}:{conf.actions_port}/health",
            env={"SANIC_HOST": conf.host},  # rasa-sdk binds 0.0.0.0 unless told otherwise
        ),
        Service(
            "rasa server",
            [str(VENV_BIN / "rasa"), "run", "--model", str(model),
             "--interface", conf.host, "--port", str(conf.rasa_port),
             "--credentials", "credentials.yml", "--endpoints", str(endpoints),
             "--cors", *origins],
            f"{conf.rasa_url}/webhooks/rest/",
        ),
    ]  # fmt: skip
    if webchat:
        services.append(
            Service(
                "chat page",
                [
                    str(VENV_BIN / "python"),
                    "-m",
                    "spinecare.webchat",
                    "--host",
                    conf.host,
                    "--port",
                    str(conf.webchat_port),
                    "--socket-url",
                    conf.rasa_url,
                ],
                f"http://{conf.host}:{conf.webchat_port}/",
            )
        )
    if console:
        services.append(
            Service(
                "consultant console",
                [str(VENV_BIN / "python"), "-m", "spinecare.console"],
                f"http://{conf.host}:{conf.console_port}/healthz",
                env={"SPINECARE_CONSOLE_PORT": str(conf.console_port)},
            )
        )
    if dispatcher:
        services.append(
            Service("outbox dispatcher", [str(VENV_BIN / "spinecare"), "dispatch"], None)
        )
    return services


def start(
    conf: settings.Settings,
    model: Path,
    webchat: bool = True,
    console: bool = True,
    dispatcher: bool = True,
    log: IO[str] | None = None,
    timeout: float = 240,
) -> Stack:
    """Start every service, wait until each answers, and return the running stack."""
    endpoints = write_endpoints(
        conf.actions_port, conf.host, Path(tempfile.mkdtemp(prefix="spinecare-")) / "endpoints.yml"
    )
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["SPINECARE_HOST"] = conf.host
    env["SPINECARE_DATABASE_URL"] = conf.database_url
    stack = Stack(build_services(conf, model, endpoints, webchat, console, dispatcher), conf)
    try:
        for service in stack.services:
            service.process = subprocess.Popen(
                service.command,
                cwd=settings.PROJECT_ROOT,
                env={**env, **service.env},
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        for service in stack.services:
            _wait_ready(service, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def main() -> None:
    """`make run`: train if needed, start everything, stop everything on Ctrl-C."""
    conf = settings.load()
    model = train_if_needed()
    print("Starting the action server, the Rasa server and the chat page...", flush=True)
    stack = start(conf, model)
    print(
        f"\nReady. Chat in your browser: http://{conf.host}:{conf.webchat_port}\n"
        f"Consultant console: {conf.console_origin}"
        "  (add a user: .venv/bin/spinecare users add NAME)\n"
        f"REST: POST {conf.rasa_url}/webhooks/rest/webhook  (Ctrl-C stops everything)\n",
        flush=True,
    )
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for service in stack.services:
                if service.process and service.process.poll() is not None:
                    print(f"{service.name} stopped unexpectedly; stopping the rest.", flush=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping...", flush=True)
        stack.stop()


if __name__ == "__main__":
    main()
