"""Start and stop the assistant's processes together.

Action server, Rasa server, chat page, consultant console and outbox dispatcher.

Why one supervisor: `make run` and the integration tests need the same
processes wired the same way (ports, endpoints, CORS, secrets, log redaction), and
all of them must stop together on Ctrl-C or at the end of a test run, leaving
nothing listening. It refuses to start what would be exposed without a secret
(docs/security.md).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from spinecare import keys, logsafety, settings
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


def wait_ready(service: Service, timeout: float) -> None:
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


ACTION_SECRET_HEADER = keys.ACTION_SECRET_HEADER


def tracker_store_type(url: str) -> str:
    """The tracker store class (addons.conversation_store) that serves `url`."""
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("redis", "rediss"):
        return "addons.conversation_store.RedisConversationStore"
    return "addons.conversation_store.SQLConversationStore"


def write_endpoints(
    conf: settings.Settings, path: Path, action_endpoint_extra: Mapping[str, Any] | None = None
) -> Path:
    """An endpoints.yml for `conf`: the action server (with its secret) and the tracker store.

    Secrets and database URLs are not written to the file: Rasa reads the action
    secret from the environment (`${SPINECARE_ACTION_SERVER_SECRET}`) and the store
    reads SPINECARE_TRACKER_STORE_URL itself.
    """
    path.write_text(
        "action_endpoint:\n"
        f'  url: "http://{conf.actions_host}:{conf.actions_port}/webhook"\n'
        "  headers:\n"
        # unquoted: Rasa expands ${...} only in plain YAML scalars
        f"    {ACTION_SECRET_HEADER}: ${{SPINECARE_ACTION_SERVER_SECRET}}\n"
        + "".join(
            f"  {key}: {json.dumps(value)}\n"
            for key, value in (action_endpoint_extra or {}).items()
        )
        + "tracker_store:\n"
        f"  type: {tracker_store_type(conf.tracker_store_url)}\n"
    )
    return path


def _log_flags(conf: settings.Settings) -> list[str]:
    """Rasa's and rasa-sdk's own log level flags for SPINECARE_LOG_LEVEL."""
    level = conf.log_level.upper()
    if level == "DEBUG":
        return ["--debug"]
    if level in ("WARNING", "ERROR", "CRITICAL"):
        return ["--quiet"]
    return []


def check_exposure(conf: settings.Settings) -> None:
    """Refuse, before anything starts, what the servers themselves would refuse."""
    keys.session_secrets(conf)
    keys.action_server_secret(conf)
    problem = keys.rest_exposure_problem(conf, conf.host)
    if problem:
        raise keys.SecretError(problem)


@dataclass
class Stack:
    """The running processes; `stop()` ends every one of them."""

    services: list[Service]
    conf: settings.Settings
    env: dict[str, str] = field(default_factory=dict, repr=False)
    log: IO[str] | None = None

    @property
    def action_server_secret(self) -> str:
        return self.env["SPINECARE_ACTION_SERVER_SECRET"]

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def launch(self, service: Service) -> None:
        service.process = subprocess.Popen(
            service.command,
            cwd=settings.PROJECT_ROOT,
            env={**self.env, **service.env},
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def restart(self, name: str, timeout: float = 240) -> None:
        """Start one service again (after it stopped or was killed) and wait until it answers."""
        service = self.service(name)
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
            service.process.wait(timeout=15)
        self.launch(service)
        wait_ready(service, timeout)

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
    """The commands for each process, on the hosts and ports `conf` names.

    Rasa and the action server start through `spinecare.rasa_entry`, which installs
    the log redaction before Rasa's own CLI runs. The action server listens on
    SPINECARE_ACTIONS_HOST (loopback by default), never on the public host.
    """
    rasa = [str(VENV_BIN / "python"), "-m", "spinecare.rasa_entry"]
    services = [
        Service(
            "action server",
            [*rasa, "run", "actions", "--actions", "actions",
             "--port", str(conf.actions_port), *_log_flags(conf)],
            f"http://{conf.actions_host}:{conf.actions_port}/health",
            # rasa-sdk binds 0.0.0.0 unless told. Sanic closes a new connection that
            # sends nothing for 5 s; under load Rasa's event loop lags longer than that,
            # and the action's answer (a 911 reply included) was lost (README, issue 13).
            env={"SANIC_HOST": conf.actions_host, "SANIC_KEEP_ALIVE_TIMEOUT": "75"},
        ),
        Service(
            "rasa server",
            [*rasa, "run", "--model", str(model),
             "--interface", conf.host, "--port", str(conf.rasa_port),
             "--credentials", "credentials.yml", "--endpoints", str(endpoints),
             "--cors", *conf.chat_page_origins, *_log_flags(conf)],
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
                    conf.rasa_browser_url,
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


def stack_environment(conf: settings.Settings) -> dict[str, str]:
    """The environment every process of the stack shares: `conf` as variables, and secrets.

    Secrets are resolved here once (configured, or the development ones on loopback),
    so Rasa, the action server and the channels agree on them.
    """
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.update(
        {
            "SPINECARE_HOST": conf.host,
            "SPINECARE_ACTIONS_HOST": conf.actions_host,
            "SPINECARE_RASA_PORT": str(conf.rasa_port),
            "SPINECARE_WEBCHAT_PORT": str(conf.webchat_port),
            "SPINECARE_DATABASE_URL": conf.database_url,
            "SPINECARE_TRACKER_STORE_URL": conf.tracker_store_url,
            "SPINECARE_LOG_LEVEL": conf.log_level,
            "LOG_LEVEL": conf.log_level.upper(),
            "SPINECARE_CHAT_ORIGINS": ",".join(conf.chat_page_origins),
            "SPINECARE_SESSION_SECRET": ",".join(keys.session_secrets(conf)),
            "SPINECARE_ACTION_SERVER_SECRET": keys.action_server_secret(conf),
        }
    )
    return env


def start(
    conf: settings.Settings,
    model: Path,
    webchat: bool = True,
    console: bool = True,
    dispatcher: bool = True,
    log: IO[str] | None = None,
    timeout: float = 240,
    action_endpoint_extra: Mapping[str, Any] | None = None,
    wait: bool = True,
) -> Stack:
    """Start every service, wait until each answers (unless `wait` is false), return the stack.

    `action_endpoint_extra` adds keys under `action_endpoint` in the endpoints file
    (the benchmark's variants, e.g. enable_selective_domain).
    """
    check_exposure(conf)
    endpoints = write_endpoints(
        conf, Path(tempfile.mkdtemp(prefix="spinecare-")) / "endpoints.yml", action_endpoint_extra
    )
    services = build_services(conf, model, endpoints, webchat, console, dispatcher)
    stack = Stack(services, conf, env=stack_environment(conf), log=log)
    try:
        for service in stack.services:
            stack.launch(service)
        for service in stack.services if wait else ():
            wait_ready(service, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def _text_channels(conf: settings.Settings) -> str:
    """Where the SMS/WhatsApp and Messenger webhooks are, and whether they are configured."""
    lines = []
    twilio_needs = "SPINECARE_TWILIO_* and SPINECARE_PUBLIC_BASE_URL"
    for label, path, configured, needs in (
        ("SMS/WhatsApp", "sms", conf.sms_configured, twilio_needs),
        ("Messenger", "messenger", conf.messenger_configured, "SPINECARE_MESSENGER_*"),
    ):
        state = "on" if configured else f"off (404) until {needs} are set"
        lines.append(f"{label} webhook: {conf.rasa_url}/webhooks/{path}/webhook  {state}")
    lines.append("  expose them with a tunnel or TLS proxy: docs/channels.md\n")
    return "\n".join(lines)


def prepare_to_serve() -> tuple[settings.Settings, Path]:
    """What `make run` and `make run-scaled` do first: settings, safety checks, the model.

    Refuses (SystemExit with the reason) to expose a port without its secret, says once
    which development secrets are in use, and trains when the training inputs changed.
    """
    logsafety.install()
    conf = settings.load()
    try:
        check_exposure(conf)
    except keys.SecretError as error:
        raise SystemExit(f"Not starting: {error}") from None
    dev = keys.dev_secrets_in_use(conf)
    if dev:
        print(
            f"{' and '.join(dev)} not set: using development secrets from "
            f"{keys.DEV_SECRETS_FILE} (mode 0600). Set them for anything but this machine.",
            flush=True,
        )
    return conf, train_if_needed()


def main() -> None:
    """`make run`: train if needed, start everything, stop everything on Ctrl-C."""
    conf, model = prepare_to_serve()
    print("Starting the action server, the Rasa server and the chat page...", flush=True)
    stack = start(conf, model)
    print(
        f"\nReady. Chat in your browser: http://{conf.host}:{conf.webchat_port}\n"
        f"Consultant console: {conf.console_origin}"
        "  (add a user: .venv/bin/spinecare users add NAME)\n"
        f"REST: POST {conf.rasa_url}/webhooks/rest/webhook  (Ctrl-C stops everything)\n"
        f"{_text_channels(conf)}",
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
