"""Every setting is documented in .env.example, and defaults are safe for a developer's machine."""

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
    for name in ("SPINECARE_WEBHOOK_SECRET", "SPINECARE_CONSOLE_SECRET", "SPINECARE_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    conf = settings.load()
    assert not conf.webhook_secret and not conf.console_secret and not conf.smtp_password
