"""Every setting of the assistant, read from environment variables in one place.

Why one module: an operator configuring a real practice should find every knob,
its default and its meaning here (and in `.env.example`), and no other module
reads `os.environ` directly. Defaults are safe for a developer's machine: every
server binds to loopback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


@dataclass(frozen=True)
class Settings:
    """A snapshot of the configuration; `load()` builds one from the environment."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    webchat_port: int = 8080
    # Where the spaCy pipeline is built; config.yml's SpacyNLP loads it from this path.
    spacy_pipeline: Path = field(default=PROJECT_ROOT / "build" / "spacy" / "en_spinecare")
    models_dir: Path = field(default=PROJECT_ROOT / "models")
    log_level: str = "INFO"
    database_url: str = ""
    # Which notifications a new MRI review request queues in the outbox.
    outbox_kinds: tuple[str, ...] = ("email", "webhook")
    # Who the `spinecare` CLI records in the audit trail when --actor is not given.
    audit_actor: str = "unknown"
    # Below this ResponseSelector confidence the assistant asks which topic is meant.
    answer_confidence: float = 0.5
    # What patients are told about reaching a person and when to expect contact.
    practice_phone: str = "(555) 010-0100"
    # Opening hours as "mon-fri 08:00-18:00" in the practice's time zone (IANA name).
    practice_hours: str = "mon-fri 08:00-18:00"
    practice_timezone: str = "America/New_York"
    reply_promise: str = "within two business days"
    # Consultants' web console (`python -m spinecare.console`).
    console_port: int = 8090
    # The address consultants type, e.g. https://console.practice.example behind a TLS
    # proxy; https makes session cookies Secure. Empty: http://{host}:{console_port}.
    console_url: str = ""
    # Signs session cookies; empty means a random one per start (sessions end on restart).
    console_secret: str = field(default="", repr=False)
    console_idle_minutes: int = 30
    # Failed sign-ins allowed per username and per client IP within the window.
    console_login_max_failures: int = 5
    console_login_ip_max_failures: int = 20
    console_login_window_minutes: int = 15
    # How many reverse proxies in front of the console to trust for the client's IP.
    console_proxies_count: int = 0
    # --- delivery of new requests to the consultants (`spinecare dispatch`) ---
    # SMTP relay for notification emails. Dev default: a local mail catcher without TLS.
    smtp_host: str = "localhost"
    smtp_port: int = 1025
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = "spinecare@localhost"
    # Who gets the emails; none means email delivery is not configured (jobs wait).
    smtp_recipients: tuple[str, ...] = ()
    smtp_timeout_seconds: float = 10.0
    # Put the person's details (name, phone, symptoms...) in the email; off = minimum necessary.
    email_include_details: bool = False
    # The practice's own receiver (CRM) for signed JSON posts; empty = not configured.
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    webhook_timeout_seconds: float = 10.0
    # Dispatcher: how often to look for due jobs, how often to try, how long to wait.
    dispatch_poll_seconds: float = 2.0
    dispatch_max_attempts: int = 12
    dispatch_backoff_base_seconds: float = 30.0
    dispatch_backoff_cap_seconds: float = 3600.0
    # How long a claimed job stays reserved for its dispatcher; must exceed a send's timeout.
    dispatch_lease_seconds: float = 120.0

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"

    @property
    def console_origin(self) -> str:
        """Scheme, host and port of the console as browsers reach it."""
        return self.console_url or f"http://{self.host}:{self.console_port}"


def load() -> Settings:
    """Read the settings from the environment (see `.env.example` for each variable)."""
    root = PROJECT_ROOT
    return Settings(
        host=_env("SPINECARE_HOST", "127.0.0.1"),
        rasa_port=_env_int("SPINECARE_RASA_PORT", 5005),
        actions_port=_env_int("SPINECARE_ACTIONS_PORT", 5055),
        webchat_port=_env_int("SPINECARE_WEBCHAT_PORT", 8080),
        models_dir=Path(_env("SPINECARE_MODELS_DIR", str(root / "models"))),
        log_level=_env("SPINECARE_LOG_LEVEL", "INFO"),
        database_url=_env("SPINECARE_DATABASE_URL", f"sqlite:///{root / 'var' / 'spinecare.db'}"),
        outbox_kinds=_env_outbox_kinds("SPINECARE_OUTBOX_KINDS", "email,webhook"),
        audit_actor=_env("SPINECARE_ACTOR", _env("USER", "unknown")),
        answer_confidence=float(_env("SPINECARE_ANSWER_CONFIDENCE", "0.5")),
        practice_phone=_env("SPINECARE_PRACTICE_PHONE", "(555) 010-0100"),
        practice_hours=_env("SPINECARE_PRACTICE_HOURS", "mon-fri 08:00-18:00"),
        practice_timezone=_env("SPINECARE_PRACTICE_TIMEZONE", "America/New_York"),
        reply_promise=_env("SPINECARE_REPLY_PROMISE", "within two business days"),
        console_port=_env_int("SPINECARE_CONSOLE_PORT", 8090),
        console_url=_env("SPINECARE_CONSOLE_URL", "").rstrip("/"),
        console_secret=_env("SPINECARE_CONSOLE_SECRET", ""),
        console_idle_minutes=_env_int("SPINECARE_CONSOLE_IDLE_MINUTES", 30),
        console_login_max_failures=_env_int("SPINECARE_CONSOLE_LOGIN_MAX_FAILURES", 5),
        console_login_ip_max_failures=_env_int("SPINECARE_CONSOLE_LOGIN_IP_MAX_FAILURES", 20),
        console_login_window_minutes=_env_int("SPINECARE_CONSOLE_LOGIN_WINDOW_MINUTES", 15),
        console_proxies_count=_env_int("SPINECARE_CONSOLE_PROXIES_COUNT", 0),
        smtp_host=_env("SPINECARE_SMTP_HOST", "localhost"),
        smtp_port=_env_int("SPINECARE_SMTP_PORT", 1025),
        smtp_starttls=_env_bool("SPINECARE_SMTP_STARTTLS", False),
        smtp_username=_env("SPINECARE_SMTP_USERNAME", ""),
        smtp_password=_env("SPINECARE_SMTP_PASSWORD", ""),
        smtp_from=_env("SPINECARE_SMTP_FROM", "spinecare@localhost"),
        smtp_recipients=_env_list("SPINECARE_SMTP_RECIPIENTS"),
        smtp_timeout_seconds=_env_seconds("SPINECARE_SMTP_TIMEOUT_SECONDS", 10.0),
        email_include_details=_env_bool("SPINECARE_EMAIL_INCLUDE_DETAILS", False),
        webhook_url=_env("SPINECARE_WEBHOOK_URL", ""),
        webhook_secret=_env("SPINECARE_WEBHOOK_SECRET", ""),
        webhook_timeout_seconds=_env_seconds("SPINECARE_WEBHOOK_TIMEOUT_SECONDS", 10.0),
        dispatch_poll_seconds=_env_seconds("SPINECARE_DISPATCH_POLL_SECONDS", 2.0),
        dispatch_max_attempts=_env_int("SPINECARE_DISPATCH_MAX_ATTEMPTS", 12),
        dispatch_backoff_base_seconds=_env_seconds("SPINECARE_DISPATCH_BACKOFF_BASE_SECONDS", 30.0),
        dispatch_backoff_cap_seconds=_env_seconds("SPINECARE_DISPATCH_BACKOFF_CAP_SECONDS", 3600.0),
        dispatch_lease_seconds=_env_seconds("SPINECARE_DISPATCH_LEASE_SECONDS", 120.0),
    )


OUTBOX_KINDS = ("email", "webhook")


def _env_outbox_kinds(name: str, default: str) -> tuple[str, ...]:
    """Comma-separated kinds; "none" turns every notification off."""
    raw = _env(name, default).strip().lower()
    if raw == "none":
        return ()
    kinds = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    unknown = [kind for kind in kinds if kind not in OUTBOX_KINDS]
    if unknown:
        allowed = ", ".join(OUTBOX_KINDS)
        raise ValueError(f"{name}: unknown kind(s) {unknown}; use {allowed} or none")
    return kinds


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "true" if default else "false").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}: use true or false")


def _env_seconds(name: str, default: float) -> float:
    value = float(_env(name, str(default)))
    if not value > 0:
        raise ValueError(f"{name}: must be a number of seconds above 0")
    return value


def _env_list(name: str) -> tuple[str, ...]:
    """Comma-separated values, blanks dropped, order kept, duplicates removed."""
    parts = (part.strip() for part in _env(name, "").split(","))
    return tuple(dict.fromkeys(part for part in parts if part))
