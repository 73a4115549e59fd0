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
    spacy_pipeline: Path = field(default=PROJECT_ROOT / "build" / "spacy" / "en_spinecare")
    models_dir: Path = field(default=PROJECT_ROOT / "models")
    var_dir: Path = field(default=PROJECT_ROOT / "var")
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
    practice_hours: str = "Monday to Friday, 8am to 6pm Eastern"
    reply_promise: str = "within two business days"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"


def load() -> Settings:
    """Read the settings from the environment (see `.env.example` for each variable)."""
    root = PROJECT_ROOT
    return Settings(
        host=_env("SPINECARE_HOST", "127.0.0.1"),
        rasa_port=_env_int("SPINECARE_RASA_PORT", 5005),
        actions_port=_env_int("SPINECARE_ACTIONS_PORT", 5055),
        webchat_port=_env_int("SPINECARE_WEBCHAT_PORT", 8080),
        spacy_pipeline=Path(
            _env("SPINECARE_SPACY_PIPELINE", str(root / "build" / "spacy" / "en_spinecare"))
        ),
        models_dir=Path(_env("SPINECARE_MODELS_DIR", str(root / "models"))),
        var_dir=Path(_env("SPINECARE_VAR_DIR", str(root / "var"))),
        log_level=_env("SPINECARE_LOG_LEVEL", "INFO"),
        database_url=_env("SPINECARE_DATABASE_URL", f"sqlite:///{root / 'var' / 'spinecare.db'}"),
        outbox_kinds=_env_outbox_kinds("SPINECARE_OUTBOX_KINDS", "email,webhook"),
        audit_actor=_env("SPINECARE_ACTOR", _env("USER", "unknown")),
        answer_confidence=float(_env("SPINECARE_ANSWER_CONFIDENCE", "0.5")),
        practice_phone=_env("SPINECARE_PRACTICE_PHONE", "(555) 010-0100"),
        practice_hours=_env("SPINECARE_PRACTICE_HOURS", "Monday to Friday, 8am to 6pm Eastern"),
        reply_promise=_env("SPINECARE_REPLY_PROMISE", "within two business days"),
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
