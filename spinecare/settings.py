"""Every setting of the assistant, read from environment variables in one place.

Why one module: an operator configuring a real practice should find every knob,
its default and its meaning here (and in `.env.example`), and no other module
reads `os.environ` directly. Defaults are safe for a developer's machine: every
server binds to loopback.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def is_loopback(host: str | None) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost).

    Why here: several servers refuse to start without a secret unless they listen
    on loopback; one definition keeps those checks consistent.
    """
    if not host:
        return False
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    # Below this answer-selector confidence a question gets its intent's overview answer, not
    # the topic's: on the held-out first questions 0.7 gave fewer answers on the wrong topic
    # than 0.5 and no fewer answered (README, round 5).
    answer_confidence: float = 0.7
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
    # --- text messaging channels (channels/sms.py, channels/messenger.py) ---
    # The practice's name as patients know it: HELP replies and opt-out confirmations use it.
    practice_name: str = "SpineCare"
    # Where Twilio and Meta reach this server from the internet, e.g.
    # https://assistant.practice.example (no trailing slash). Twilio signs the exact URL it
    # posted to, which behind a TLS proxy is not the URL the server sees, so the SMS
    # webhook checks signatures against this address and is not served without it.
    public_base_url: str = ""
    # Twilio (SMS and WhatsApp). Empty account, token or senders: the webhook answers 404.
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    # E.164 sender for SMS, e.g. +13125550100; WhatsApp sender, e.g. whatsapp:+13125550100.
    twilio_from: str = ""
    twilio_whatsapp_from: str = ""
    # Twilio's REST API; a practice may route through its own proxy, tests use a local fake.
    twilio_api_url: str = "https://api.twilio.com"
    # Facebook Messenger. Any of the three empty: the webhook answers 404.
    messenger_app_secret: str = field(default="", repr=False)
    messenger_verify_token: str = field(default="", repr=False)
    messenger_page_token: str = field(default="", repr=False)
    messenger_api_url: str = "https://graph.facebook.com/v21.0"

    @property
    def sms_configured(self) -> bool:
        """Twilio webhooks are served only with everything needed to verify and to answer."""
        return bool(
            self.twilio_account_sid
            and self.twilio_auth_token
            and self.public_base_url
            and (self.twilio_from or self.twilio_whatsapp_from)
        )

    @property
    def messenger_configured(self) -> bool:
        """Messenger webhooks are served only with the app secret, verify token and page token."""
        return bool(
            self.messenger_app_secret and self.messenger_verify_token and self.messenger_page_token
        )

    # Seconds to wait for a PostgreSQL connection before giving up (requests database).
    db_connect_timeout_seconds: float = 10.0
    # SMTP over TLS from the first byte (port 465) instead of plain SMTP or STARTTLS.
    smtp_implicit_tls: bool = False
    # --- what the public may reach (issue 9; docs/security.md) ---
    # The action server's own address: private (loopback) by default, never SPINECARE_HOST.
    actions_host: str = "127.0.0.1"
    # Sent by Rasa in X-SpineCare-Action-Secret; the action server runs nothing without it.
    # Empty on loopback: a development secret kept in var/dev-secrets.json (mode 0600).
    action_server_secret: str = field(default="", repr=False)
    # Signs chat session ids (HMAC); several keys, newest first, to rotate. Empty on
    # loopback: a development secret kept in var/dev-secrets.json.
    session_secrets: tuple[str, ...] = field(default=(), repr=False)
    # Bearer token the REST channel requires; empty (development) only on loopback.
    rest_token: str = field(default="", repr=False)
    # Browser origins allowed to open the chat's socket.io connection (and CORS).
    # Empty: the chat page's own origins, http://{host}:{webchat_port} and localhost.
    chat_origins: tuple[str, ...] = ()
    # The Rasa server's address as browsers reach it (the widget's socket URL and
    # the page's CSP connect-src). Empty: http://{host}:{rasa_port}.
    rasa_public_url: str = ""
    # Who may show the chat page in a frame (CSP frame-ancestors), e.g. the clinic's
    # own site https://www.clinic.example. Empty: nobody.
    frame_ancestors: tuple[str, ...] = ()
    # Reverse proxies in front of the Rasa server whose X-Forwarded-For to trust.
    proxies_count: int = 0
    # Longer messages are refused politely before NLU; larger HTTP bodies get 413.
    max_message_chars: int = 2000
    max_body_bytes: int = 65536
    # Rate limits (0 = no limit); see docs/security.md for where their counts live.
    rate_session_messages_per_minute: int = 30
    rate_ip_messages_per_minute: int = 120
    rate_ip_new_sessions_per_minute: int = 10
    rate_ip_requests_per_hour: int = 5
    # Where conversations (Rasa trackers) are kept: SQLite file, postgresql:// or redis://.
    tracker_store_url: str = ""
    # A conversation untouched for this long is deleted from the tracker store.
    conversation_retention_hours: float = 24.0
    # --- the scaled-out setup (`make run-scaled`, spinecare/scaled.py, docs/scaling.md) ---
    # Redis for the replicas' shared lock store, and their shared tracker store when
    # SPINECARE_TRACKER_STORE_URL is a SQLite file (one process's file is not shared state).
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Rasa servers (each with its own action server) behind nginx.
    rasa_replicas: int = 2
    # How long a replica may hold a conversation's lock (Rasa's TICKET_LOCK_LIFETIME):
    # longer than the longest turn (Rasa waits up to 300 s for an action), or a second
    # message of the same conversation would be handled while the first still runs.
    lock_lifetime_seconds: int = 360
    # --- privacy (issue 12; docs/privacy.md says why each default) ---
    # "development" or "production"; production refuses to start without data keys.
    environment: str = "development"
    # Keys that encrypt patient fields at rest (Fernet), newest first; old ones still decrypt.
    data_keys: tuple[str, ...] = field(default=(), repr=False)
    # Keys the phone/email lookup hashes (HMAC-SHA256); separate from the data keys.
    lookup_key: str = field(default="", repr=False)
    # Closed requests are deleted this many days after their last change.
    closed_request_retention_days: float = 90.0
    # Delivered and dead outbox jobs are deleted this many days after delivery / creation.
    outbox_retention_days: float = 30.0
    # Sign-in attempts (usernames and client addresses) are deleted after this many days.
    login_attempt_retention_days: float = 30.0
    # How often the dispatcher runs the privacy purge.
    purge_interval_hours: float = 24.0

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"

    @property
    def chat_page_origins(self) -> tuple[str, ...]:
        """Origins allowed to talk to the chat's socket.io endpoint (and CORS)."""
        if self.chat_origins:
            return self.chat_origins
        return (
            f"http://{self.host}:{self.webchat_port}",
            f"http://localhost:{self.webchat_port}",
        )

    @property
    def rasa_browser_url(self) -> str:
        """The Rasa server's address as the chat page's browser reaches it."""
        return self.rasa_public_url or self.rasa_url

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
        answer_confidence=float(_env("SPINECARE_ANSWER_CONFIDENCE", "0.7")),
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
        practice_name=_env("SPINECARE_PRACTICE_NAME", "SpineCare"),
        public_base_url=_env("SPINECARE_PUBLIC_BASE_URL", "").rstrip("/"),
        twilio_account_sid=_env("SPINECARE_TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=_env("SPINECARE_TWILIO_AUTH_TOKEN", ""),
        twilio_from=_env("SPINECARE_TWILIO_FROM", ""),
        twilio_whatsapp_from=_env("SPINECARE_TWILIO_WHATSAPP_FROM", ""),
        twilio_api_url=_env("SPINECARE_TWILIO_API_URL", "https://api.twilio.com").rstrip("/"),
        messenger_app_secret=_env("SPINECARE_MESSENGER_APP_SECRET", ""),
        messenger_verify_token=_env("SPINECARE_MESSENGER_VERIFY_TOKEN", ""),
        messenger_page_token=_env("SPINECARE_MESSENGER_PAGE_TOKEN", ""),
        messenger_api_url=_env(
            "SPINECARE_MESSENGER_API_URL", "https://graph.facebook.com/v21.0"
        ).rstrip("/"),
        db_connect_timeout_seconds=_env_seconds("SPINECARE_DB_CONNECT_TIMEOUT_SECONDS", 10.0),
        smtp_implicit_tls=_env_bool(
            "SPINECARE_SMTP_IMPLICIT_TLS", _env_int("SPINECARE_SMTP_PORT", 1025) == 465
        ),
        actions_host=_env("SPINECARE_ACTIONS_HOST", "127.0.0.1"),
        action_server_secret=_env("SPINECARE_ACTION_SERVER_SECRET", ""),
        session_secrets=_env_list("SPINECARE_SESSION_SECRET"),
        rest_token=_env("SPINECARE_REST_TOKEN", ""),
        chat_origins=tuple(o.rstrip("/") for o in _env_list("SPINECARE_CHAT_ORIGINS")),
        rasa_public_url=_env("SPINECARE_RASA_PUBLIC_URL", "").rstrip("/"),
        frame_ancestors=_env_list("SPINECARE_FRAME_ANCESTORS"),
        proxies_count=_env_int("SPINECARE_PROXIES_COUNT", 0),
        max_message_chars=_env_int("SPINECARE_MAX_MESSAGE_CHARS", 2000),
        max_body_bytes=_env_int("SPINECARE_MAX_BODY_BYTES", 65536),
        rate_session_messages_per_minute=_env_int("SPINECARE_RATE_SESSION_MESSAGES_PER_MINUTE", 30),
        rate_ip_messages_per_minute=_env_int("SPINECARE_RATE_IP_MESSAGES_PER_MINUTE", 120),
        rate_ip_new_sessions_per_minute=_env_int("SPINECARE_RATE_IP_NEW_SESSIONS_PER_MINUTE", 10),
        rate_ip_requests_per_hour=_env_int("SPINECARE_RATE_IP_REQUESTS_PER_HOUR", 5),
        tracker_store_url=_env(
            "SPINECARE_TRACKER_STORE_URL", f"sqlite:///{root / 'var' / 'conversations.db'}"
        ),
        conversation_retention_hours=_env_seconds("SPINECARE_CONVERSATION_RETENTION_HOURS", 24.0),
        redis_url=_env("SPINECARE_REDIS_URL", "redis://127.0.0.1:6379/0"),
        rasa_replicas=_env_int("SPINECARE_RASA_REPLICAS", 2),
        lock_lifetime_seconds=_env_int("SPINECARE_LOCK_LIFETIME_SECONDS", 360),
        environment=_env_environment("SPINECARE_ENV"),
        data_keys=_env_list("SPINECARE_DATA_KEYS"),
        lookup_key=_env("SPINECARE_LOOKUP_KEY", ""),
        closed_request_retention_days=_env_seconds("SPINECARE_CLOSED_REQUEST_RETENTION_DAYS", 90.0),
        outbox_retention_days=_env_seconds("SPINECARE_OUTBOX_RETENTION_DAYS", 30.0),
        login_attempt_retention_days=_env_seconds("SPINECARE_LOGIN_ATTEMPT_RETENTION_DAYS", 30.0),
        purge_interval_hours=_env_seconds("SPINECARE_PURGE_INTERVAL_HOURS", 24.0),
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


ENVIRONMENTS = ("development", "production")


def _env_environment(name: str) -> str:
    value = _env(name, "development").strip().lower()
    if value not in ENVIRONMENTS:
        raise ValueError(f"{name}: use {' or '.join(ENVIRONMENTS)}")
    return value


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
