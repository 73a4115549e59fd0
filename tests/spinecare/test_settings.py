"""Every setting is documented in .env.example, and defaults are safe for a developer's machine."""

import dataclasses
import re

from spinecare import settings

SETTINGS_SOURCE = (settings.PROJECT_ROOT / "spinecare" / "settings.py").read_text()
ENV_EXAMPLE = (settings.PROJECT_ROOT / ".env.example").read_text()


def test_every_variable_read_is_documented_in_env_example():
    read = set(re.findall(r'_env\w*\(\s*"(SPINECARE_[A-Z_]+)"', SETTINGS_SOURCE))
    documented = set(re.findall(r"^(SPINECARE_[A-Z_]+)=", ENV_EXAMPLE, re.MULTILINE))
    assert read, "settings.py reads no variables?"
    assert read - documented == set()


def test_servers_bind_to_loopback_by_default(monkeypatch):
    monkeypatch.delenv("SPINECARE_HOST", raising=False)
    assert settings.load().host == "127.0.0.1"


def test_no_secret_has_a_default_value(monkeypatch):
    secrets = ("WEBHOOK_SECRET", "CONSOLE_SECRET", "SMTP_PASSWORD", "SESSION_SECRET",
               "ACTION_SERVER_SECRET", "REST_TOKEN")  # fmt: skip
    for name in (f"SPINECARE_{secret}" for secret in secrets):
        monkeypatch.delenv(name, raising=False)
    conf = settings.load()
    assert not conf.webhook_secret and not conf.console_secret and not conf.smtp_password
    assert not conf.session_secrets and not conf.action_server_secret and not conf.rest_token
    conf = dataclasses.replace(conf, session_secrets=("k" * 40,), rest_token="t" * 40)
    assert "k" * 40 not in repr(conf) and "t" * 40 not in repr(conf)


def test_the_action_server_stays_private_whatever_the_public_host(monkeypatch):
    monkeypatch.setenv("SPINECARE_HOST", "0.0.0.0")  # noqa: S104
    monkeypatch.delenv("SPINECARE_ACTIONS_HOST", raising=False)
    assert settings.load().actions_host == "127.0.0.1"
