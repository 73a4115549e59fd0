"""The consent to be contacted, word for word, and the record stored with each request.

Why a versioned constant: under the TCPA, autodialled or prerecorded calls and
texts need the person's prior express written consent, and the practice must be
able to show exactly what the person agreed to. The stored request therefore
keeps the text itself, its version, the time and the channel. Any change to the
wording, however small, needs a new CONSENT_VERSION so that older records still
point at the words those patients saw.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

CONSENT_VERSION = "2026-11-25.1"

CONSENT_TEXT = (
    "By answering yes, you agree that this practice's Spine Care Consultants may call, "
    "text and email you about this MRI review request, at the phone number and email "
    "address you gave us, including with automated technology and prerecorded messages. "
    "Consent is not a condition of any purchase. Message and data rates may apply. "
    "Reply STOP to any text to opt out, or tell us at any time."
)

# Without an email ("none, I don't do email"), the consent names only what was given: a
# patient must not agree to emails at an address they never gave.
CONSENT_VERSION_WITHOUT_EMAIL = "2026-12-05.no-email.1"

CONSENT_TEXT_WITHOUT_EMAIL = (
    "By answering yes, you agree that this practice's Spine Care Consultants may call "
    "and text you about this MRI review request, at the phone number you gave us, "
    "including with automated technology and prerecorded messages. "
    "Consent is not a condition of any purchase. Message and data rates may apply. "
    "Reply STOP to any text to opt out, or tell us at any time."
)


def consent_wording(email_given: bool) -> tuple[str, str]:
    """The consent's version and text for a request with or without an email address."""
    if email_given:
        return CONSENT_VERSION, CONSENT_TEXT
    return CONSENT_VERSION_WITHOUT_EMAIL, CONSENT_TEXT_WITHOUT_EMAIL


PRIVACY_NOTICE = (
    "Privacy: we use your details only to review and answer this request, keep them out "
    "of logs and analytics, and export or delete them when you ask."
)


def consent_record(
    channel: str, consented_at: datetime | None = None, email_given: bool = True
) -> dict[str, Any]:
    """The consent fields of `repository.submit_request`, for a patient who said yes.

    `channel` is where the yes was given (the Rasa input channel, e.g. "socketio");
    `email_given` chooses the wording the patient was shown (`consent_wording`).
    """
    version, text = consent_wording(email_given)
    return {
        "consent": True,
        "consent_version": version,
        "consent_text": text,
        "consented_at": consented_at or datetime.now(timezone.utc),
        "channel": channel,
    }


CALLBACK_CONSENT_VERSION = "2026-11-25.callback.1"

CALLBACK_CONSENT_TEXT = (
    "By answering yes, you agree that this practice's Spine Care Consultants may call or "
    "text you about your call-back request at the phone number you gave us, including with "
    "automated technology. Consent is not a condition of any purchase. Message and data "
    "rates may apply. Reply STOP to any text to opt out, or tell us at any time."
)


def callback_consent_record(channel: str, consented_at: datetime | None = None) -> dict[str, Any]:
    """The consent fields of `repository.submit_callback`, for a patient who said yes."""
    return {
        "consent": True,
        "consent_version": CALLBACK_CONSENT_VERSION,
        "consent_text": CALLBACK_CONSENT_TEXT,
        "consented_at": consented_at or datetime.now(timezone.utc),
        "channel": channel,
    }
