"""The scaled-out setup: nginx in front of several Rasa replicas that share their state.

`make run-scaled` (`python -m spinecare.scaled`) serves the same public ports as
`make run`: the chat page on SPINECARE_WEBCHAT_PORT (8080), REST and socket.io on
SPINECARE_RASA_PORT (5005), now nginx. Behind it, on loopback ports of their own:
SPINECARE_RASA_REPLICAS Rasa servers (2) with the same model, each with its own
action server; all of them keep conversations in one shared tracker store (Redis or
PostgreSQL; never a SQLite file, which one process owns) and take turns on a
conversation through Rasa's Redis lock store. The consultant console and the outbox
dispatcher start once, as in `make run`. docs/scaling.md explains the choices.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import redis

from spinecare import devserver, settings
from spinecare.devserver import Service, Stack

NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf.in")
# Rasa's own wait for an action server (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT).
ACTION_TIMEOUT_SECONDS = 300
DEFAULT_STATE_DIR = settings.PROJECT_ROOT / "var" / "scaled"


@dataclasses.dataclass(frozen=True)
class Replica:
    """One Rasa server and the action server it calls, both on loopback."""

    number: int
    rasa_port: int
    actions_port: int

    @property
    def rasa_name(self) -> str:
        return f"rasa server {self.number}"

    @property
    def actions_name(self) -> str:
        return f"action server {self.number}"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed: run scripts/ensure-nginx.sh")
    return found


def shared_tracker_store_url(conf: settings.Settings) -> str:
    """The replicas' tracker store: the configured one, or Redis instead of a SQLite file."""
    if conf.tracker_store_url.split(":", 1)[0].lower().startswith("sqlite"):
        return conf.redis_url
    return conf.tracker_store_url


def check_redis(url: str, timeout: float = 3) -> None:
    """Refuse to start without the Redis the lock store needs (a clear message, not a traceback)."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout).ping()
    except redis.RedisError as error:
        host = urlsplit(url).hostname
        raise RuntimeError(
            f"Redis at {host} does not answer ({type(error).__name__}); the replicas' lock store "
            "needs it (SPINECARE_REDIS_URL)"
        ) from None


def lock_store_yaml(redis_url: str) -> str:
    """endpoints.yml's lock_store for `redis_url`; a password stays in the environment."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("SPINECARE_REDIS_URL must be a redis:// or rediss:// URL")
    lines = [
        "lock_store:",
        "  type: redis",
        f'  url: "{parts.hostname or "localhost"}"',
        f"  port: {parts.port or 6379}",
        f"  db: {int(parts.path.lstrip('/') or 0)}",
        "  key_prefix: spinecare",
    ]
    if parts.username:
        lines.append(f'  username: "{unquote(parts.username)}"')
    if parts.password:
        lines.append("  password: ${SPINECARE_LOCK_STORE_PASSWORD}")
    if parts.scheme == "rediss":
        lines.append("  use_ssl: true")
    return "\n".join(lines) + "\n"


def write_replica_endpoints(
    conf: settings.Settings,
    replica: Replica,
    path: Path,
    action_endpoint_extra: Mapping[str, Any] | None = None,
) -> Path:
    """The endpoints of one replica: its own action server, the shared stores, the lock store."""
    devserver.write_endpoints(
        dataclasses.replace(conf, actions_port=replica.actions_port), path, action_endpoint_extra
    )
    with path.open("a") as out:
        out.write(lock_store_yaml(conf.redis_url))
    return path


def render_nginx_conf(
    conf: settings.Settings, replicas: list[Replica], state_dir: Path, replica_host: str
) -> str:
    """nginx.conf for `replicas`, listening where `make run`'s Rasa server would."""
    servers = "\n".join(
        f"        server {replica_host}:{r.rasa_port} max_fails=1 fail_timeout=10s;"
        for r in replicas
    )
    user = ""
    if os.geteuid() == 0:  # workers would otherwise switch to nobody
        user = "user root;"
    listen_host = f"[{conf.host}]" if ":" in conf.host else conf.host
    values = {
        "USER": user,
        "STATE": str(state_dir),
        "MAX_BODY": str(conf.max_body_bytes),
        "SERVERS": servers,
        "LISTEN": f"{listen_host}:{conf.rasa_port}",
        "TURN_TIMEOUT": str(ACTION_TIMEOUT_SECONDS + 60),
        "TRIES": str(len(replicas)),
    }
    text = NGINX_TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def plan_replicas(conf: settings.Settings, count: int) -> list[Replica]:
    """Free loopback ports for each replica's Rasa server and action server."""
    return [
        Replica(number, devserver.free_port(), devserver.free_port())
        for number in range(1, count + 1)
    ]


def build_services(
    conf: settings.Settings,
    model: Path,
    replicas: list[Replica],
    state_dir: Path,
    webchat: bool = True,
    console: bool = True,
    dispatcher: bool = True,
    action_endpoint_extra: Mapping[str, Any] | None = None,
) -> list[Service]:
    """Action servers and replicas first, then nginx, then the once-only services."""
    replica_host = "127.0.0.1"
    services: list[Service] = []
    for replica in replicas:
        endpoints = write_replica_endpoints(
            conf, replica, state_dir / f"endpoints-{replica.number}.yml", action_endpoint_extra
        )
        replica_conf = dataclasses.replace(
            conf,
            host=replica_host,
            rasa_port=replica.rasa_port,
            actions_port=replica.actions_port,
        )
        actions, rasa = devserver.build_services(
            replica_conf, model, endpoints, webchat=False, console=False, dispatcher=False
        )
        actions.name, rasa.name = replica.actions_name, replica.rasa_name
        # One more proxy to trust in X-Forwarded-For than the operator's: nginx.
        rasa.env = {**rasa.env, "SPINECARE_PROXIES_COUNT": str(conf.proxies_count + 1)}
        services += [actions, rasa]
    nginx_conf = state_dir / "nginx.conf"
    nginx_conf.write_text(render_nginx_conf(conf, replicas, state_dir, replica_host))
    services.append(
        Service(
            "nginx",
            [nginx_binary(), "-p", str(state_dir), "-c", str(nginx_conf),
             "-e", str(state_dir / "error.log")],
            f"{conf.rasa_url}/webhooks/rest/",
        )
    )  # fmt: skip
    once = devserver.build_services(
        conf, model, state_dir / "unused.yml", webchat, console, dispatcher
    )
    services += once[2:]  # chat page, console, dispatcher: as in `make run`
    return services


def stack_environment(conf: settings.Settings) -> dict[str, str]:
    env = devserver.stack_environment(conf)
    env["TICKET_LOCK_LIFETIME"] = str(conf.lock_lifetime_seconds)
    password = urlsplit(conf.redis_url).password
    if password:
        env["SPINECARE_LOCK_STORE_PASSWORD"] = unquote(password)
    return env


def prepare_state_dir(state_dir: Path | None) -> Path:
    state_dir = Path(state_dir or tempfile.mkdtemp(prefix="spinecare-scaled-"))
    for sub in ("tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (state_dir / sub).mkdir(parents=True, exist_ok=True)
    state_dir.chmod(0o700)
    return state_dir


def start(
    conf: settings.Settings,
    model: Path,
    replicas: int | None = None,
    state_dir: Path | None = None,
    webchat: bool = True,
    console: bool = True,
    dispatcher: bool = True,
    log: IO[str] | None = None,
    timeout: float = 300,
    action_endpoint_extra: Mapping[str, Any] | None = None,
) -> Stack:
    """Start the scaled-out stack and wait until every service answers.

    The returned stack's `conf` is the public one (nginx on `conf.rasa_port`) with the
    shared tracker store it uses; services are named "rasa server 1", "action server 1"...
    """
    devserver.check_exposure(conf)
    if conf.lock_lifetime_seconds <= ACTION_TIMEOUT_SECONDS:
        raise ValueError(
            f"SPINECARE_LOCK_LIFETIME_SECONDS must exceed the {ACTION_TIMEOUT_SECONDS} s a turn "
            "may take (Rasa's action timeout)"
        )
    conf = dataclasses.replace(conf, tracker_store_url=shared_tracker_store_url(conf))
    check_redis(conf.redis_url)
    state_dir = prepare_state_dir(state_dir)
    planned = plan_replicas(conf, replicas or conf.rasa_replicas)
    services = build_services(
        conf, model, planned, state_dir, webchat, console, dispatcher, action_endpoint_extra
    )
    stack = Stack(services, conf, env=stack_environment(conf), log=log)
    try:
        for service in stack.services:
            stack.launch(service)
        for service in stack.services:
            devserver.wait_ready(service, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def main() -> None:
    """`make run-scaled`: train if needed, start everything, stop everything on Ctrl-C."""
    conf, model = devserver.prepare_to_serve()
    replicas = conf.rasa_replicas
    store = shared_tracker_store_url(conf).split(":", 1)[0]
    print(
        f"Starting nginx, {replicas} Rasa servers and {replicas} action servers "
        f"(shared {store} tracker store, Redis lock store), the chat page...",
        flush=True,
    )
    try:
        stack = start(conf, model, state_dir=DEFAULT_STATE_DIR)
    except (RuntimeError, ValueError) as error:
        raise SystemExit(f"Not starting: {error}") from None
    print(
        f"\nReady. Chat in your browser: http://{conf.host}:{conf.webchat_port}\n"
        f"Consultant console: {conf.console_origin}\n"
        f"REST and socket.io: {conf.rasa_url} (nginx; its log: {DEFAULT_STATE_DIR}/error.log)\n"
        + "".join(
            f"  {s.name}: {s.ready_url}\n" for s in stack.services if s.name.startswith("rasa")
        )
        + "(Ctrl-C stops everything)",
        flush=True,
    )
    stopping = False
    reported: set[str] = set()

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for service in stack.services:
                if service.process and service.process.poll() is not None:
                    # One replica may go: nginx sends its traffic to the others.
                    if service.name.startswith(("rasa server", "action server")):
                        if service.name not in reported:
                            reported.add(service.name)
                            print(f"{service.name} stopped; nginx uses the others.", flush=True)
                        continue
                    print(f"{service.name} stopped unexpectedly; stopping the rest.", flush=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping...", flush=True)
        stack.stop()


if __name__ == "__main__":
    main()
