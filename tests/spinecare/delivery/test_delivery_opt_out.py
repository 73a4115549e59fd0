"""Consultants are told, when a request reaches them, that its person opted out of texts."""

from __future__ import annotations

import pytest

from spinecare.delivery.dispatcher import Dispatcher
from spinecare.storage import messaging, repository
from tests.support.requests import mri_review_fields as mri_fields

PHONE = "+12125550182"  # mri_fields()'s phone


@pytest.fixture
def dispatcher(engine, make_config, clock):
    return Dispatcher(engine, config=make_config(), clock=clock, rng=lambda: 1.0)


@pytest.mark.parametrize("opted_out", [True, False])
def test_the_webhook_and_the_email_carry_the_opt_out(
    sessions, dispatcher, receiver, mailbox, opted_out
):
    with sessions() as session:
        reference = repository.submit_request(
            session,
            {**mri_fields(), "contact_method": "text"},
            "k",
            outbox_kinds=("email", "webhook"),
        )
        if opted_out:
            messaging.record_opt_out(session, PHONE, "sms", "keyword")
    assert dispatcher.run_once().delivered == 2

    body = receiver.deliveries[f"mri-review-request/{reference}/webhook"]
    assert body["request"]["messages_opted_out"] is opted_out
    (message,) = mailbox.messages
    line = "Texts:        opted out (STOP), do not text this person"
    assert (line in message.get_content()) is opted_out
