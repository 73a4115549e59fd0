"""The assistant as a clinic would expose it: REST token, behind one proxy, tight limits.

One stack serves the whole security suite. It trusts one reverse proxy
(SPINECARE_PROXIES_COUNT=1), so each test can present its own client address in
X-Forwarded-For and the per-address limits of one test do not touch another's;
the limits are low enough to be reached in a test and high enough for one intake.
"""

from __future__ import annotations

import secrets
import uuid

import httpx
import pytest

from spinecare.scenarios import RestConversation
from tests.security.support import LIMITS, REST_TOKEN, running_stack


@pytest.fixture(scope="session")
def secure(tmp_path_factory):
    env = {
        "SPINECARE_REST_TOKEN": REST_TOKEN,
        "SPINECARE_PROXIES_COUNT": "1",
        "SPINECARE_SESSION_SECRET": secrets.token_urlsafe(48),
        "SPINECARE_ACTION_SERVER_SECRET": secrets.token_urlsafe(48),
        **LIMITS,
    }
    with running_stack(tmp_path_factory.mktemp("secure"), env, console=False) as stack:
        yield stack


@pytest.fixture(scope="session")
def rest_client():
    with httpx.Client(timeout=120) as client:
        yield client


@pytest.fixture
def chat(secure, rest_client) -> RestConversation:
    """A REST conversation of its own, with the channel's token."""
    return RestConversation(secure.conf.rasa_url, rest_client, token=REST_TOKEN)


@pytest.fixture
def client_ip() -> str:
    """A client address of this test's own, as the trusted proxy reports it."""
    value = uuid.uuid4().int
    return f"10.{value % 250 + 1}.{value // 250 % 250 + 1}.{value // 62500 % 250 + 1}"
