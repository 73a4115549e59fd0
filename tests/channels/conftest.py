"""The channels in a real HTTP server with a scripted assistant, and offline Twilio and Meta."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from channels.messenger import MessengerInput
from channels.sms import SmsInput
from spinecare import settings
from spinecare.storage import db
from spinecare.storage.models import InboundMessage, MessagingContact
from tests.support.messaging import (
    ACCOUNT_SID,
    APP_SECRET,
    AUTH_TOKEN,
    PAGE_TOKEN,
    SMS_FROM,
    VERIFY_TOKEN,
    WHATSAPP_FROM,
    ChannelServer,
    FakeProviders,
    FakeTwilioHttpClient,
    ScriptedAssistant,
    messenger_request,
    twilio_params,
    twilio_request,
)

PUBLIC_BASE_URL = "https://assistant.practice.example"  # what Twilio posts to, via the proxy
SMS_PATH = "/webhooks/sms/webhook"
MESSENGER_PATH = "/webhooks/messenger/webhook"


def channel_settings(database_url: str, providers_url: str, **overrides) -> settings.Settings:
    values = {
        "database_url": database_url,
        "public_base_url": PUBLIC_BASE_URL,
        "practice_name": "Lakeside Spine",
        "practice_phone": "(312) 555-0100",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_from": SMS_FROM,
        "twilio_whatsapp_from": WHATSAPP_FROM,
        "messenger_app_secret": APP_SECRET,
        "messenger_verify_token": VERIFY_TOKEN,
        "messenger_page_token": PAGE_TOKEN,
        "messenger_api_url": f"{providers_url}/v21.0",
    }
    return dataclasses.replace(settings.load(), **{**values, **overrides})


@dataclass
class Harness:
    url: str
    conf: settings.Settings
    assistant: ScriptedAssistant
    twilio: FakeTwilioHttpClient
    providers: FakeProviders
    http: httpx.Client
    sms_channel: SmsInput
    messenger_channel: MessengerInput

    def sms(self, text: str | None = "hi", **kwargs) -> httpx.Response:
        """Post an inbound message exactly as Twilio signs it."""
        return self.post_twilio(twilio_params(text, **kwargs))

    def post_twilio(self, params: dict, **overrides) -> httpx.Response:
        body, headers = twilio_request(PUBLIC_BASE_URL + SMS_PATH, params)
        headers.update(overrides)
        return self.http.post(self.url + SMS_PATH, content=body, headers=headers)

    def messenger(self, payload) -> httpx.Response:
        body, headers = messenger_request(payload)
        return self.http.post(self.url + MESSENGER_PATH, content=body, headers=headers)

    def sent(self, to: str, count: int, timeout: float = 20) -> list[str]:
        """The bodies of the first `count` messages sent to `to`, waiting for them."""
        outbox = self.providers.outbox if to.startswith("messenger:") else self.twilio.outbox
        return [m["body"] for m in outbox.wait_for(to, count, timeout)]

    def settle(self, seconds: float = 1.0) -> None:
        """Let background processing finish (for asserting that nothing happened)."""
        time.sleep(seconds)

    def rows(self, model) -> int:
        engine = db.make_engine(self.conf.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(select(func.count()).select_from(model)).scalar_one()
        finally:
            engine.dispose()

    def contacts(self) -> int:
        return self.rows(MessagingContact)

    def taken_in(self) -> int:
        return self.rows(InboundMessage)


@pytest.fixture
def bot() -> ScriptedAssistant:
    """Stands in for the assistant (named so as not to hide tests/conftest.py's `assistant`)."""
    return ScriptedAssistant()


@pytest.fixture
def providers() -> Iterator[FakeProviders]:
    with FakeProviders() as running:
        yield running


@pytest.fixture
def harness(tmp_path, bot, providers) -> Iterator[Harness]:
    conf = channel_settings(f"sqlite:///{tmp_path / 'channels.db'}", providers.url)
    twilio = FakeTwilioHttpClient()
    sms, messenger = SmsInput(conf, http_client=twilio), MessengerInput(conf)
    with ChannelServer([sms, messenger], bot) as server, httpx.Client(timeout=30) as http:
        yield Harness(server.url, conf, bot, twilio, providers, http, sms, messenger)
