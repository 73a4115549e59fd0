"""The text channels' settings: the names operators rely on, and closed unless configured."""

import re

import pytest

from spinecare import settings

ISSUE_NAMES = (
    "SPINECARE_TWILIO_ACCOUNT_SID",
    "SPINECARE_TWILIO_AUTH_TOKEN",
    "SPINECARE_TWILIO_FROM",
    "SPINECARE_TWILIO_WHATSAPP_FROM",
    "SPINECARE_TWILIO_API_URL",
    "SPINECARE_MESSENGER_APP_SECRET",
    "SPINECARE_MESSENGER_VERIFY_TOKEN",
    "SPINECARE_MESSENGER_PAGE_TOKEN",
    "SPINECARE_MESSENGER_API_URL",
    "SPINECARE_PUBLIC_BASE_URL",
)
SMS = {
    "SPINECARE_TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "SPINECARE_TWILIO_AUTH_TOKEN": "token-value-123",
    "SPINECARE_TWILIO_FROM": "+13125550100",
    "SPINECARE_PUBLIC_BASE_URL": "https://assistant.practice.example/",
}
MESSENGER = {
    "SPINECARE_MESSENGER_APP_SECRET": "app-secret-value",
    "SPINECARE_MESSENGER_VERIFY_TOKEN": "verify-token-value",
    "SPINECARE_MESSENGER_PAGE_TOKEN": "page-token-value",
}


@pytest.fixture(autouse=True)
def no_channel_settings(monkeypatch):
    for name in ISSUE_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_the_issues_names_are_read_and_documented():
    source = (settings.PROJECT_ROOT / "spinecare" / "settings.py").read_text()
    example = (settings.PROJECT_ROOT / ".env.example").read_text()
    for name in ISSUE_NAMES:
        assert f'"{name}"' in source, name
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


def test_nothing_is_configured_by_default_and_the_apis_are_the_providers():
    conf = settings.load()
    assert not conf.sms_configured and not conf.messenger_configured
    assert conf.twilio_api_url == "https://api.twilio.com"
    assert conf.messenger_api_url.startswith("https://graph.facebook.com/")


def test_sms_needs_every_credential_and_the_public_address(monkeypatch):
    for name, value in SMS.items():
        monkeypatch.setenv(name, value)
    conf = settings.load()
    assert conf.sms_configured
    assert conf.public_base_url == "https://assistant.practice.example"
    for name in SMS:
        with monkeypatch.context() as patch:
            patch.setenv(name, "")
            assert not settings.load().sms_configured, name


def test_whatsapp_alone_is_enough_to_serve_the_twilio_webhook(monkeypatch):
    for name, value in SMS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SPINECARE_TWILIO_FROM", "")
    monkeypatch.setenv("SPINECARE_TWILIO_WHATSAPP_FROM", "whatsapp:+13125550100")
    assert settings.load().sms_configured


def test_messenger_needs_all_three(monkeypatch):
    for name, value in MESSENGER.items():
        monkeypatch.setenv(name, value)
    assert settings.load().messenger_configured
    for name in MESSENGER:
        with monkeypatch.context() as patch:
            patch.setenv(name, "")
            assert not settings.load().messenger_configured, name


def test_secrets_stay_out_of_the_settings_repr(monkeypatch):
    for name, value in {**SMS, **MESSENGER}.items():
        monkeypatch.setenv(name, value)
    text = repr(settings.load())
    for secret in ("token-value-123", "app-secret-value", "verify-token-value", "page-token-value"):
        assert secret not in text
