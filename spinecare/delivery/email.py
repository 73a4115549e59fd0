"""Notification emails to the consultants, over SMTP with the standard library.

Why the body holds so little by default: email is copied to phones, archives and
forwarding rules the practice does not control, so under HIPAA's minimum
necessary habit it only says that a request arrived, its reference, type and
time, how and when the person wants to be contacted, and where to read it in
the console. Names, phone numbers, email addresses and symptoms are added only
when the practice sets SPINECARE_EMAIL_INCLUDE_DETAILS=true (for example with an
encrypted relay and mailboxes it controls).

Why the Message-ID is derived from the job's idempotency key: a dispatcher that
crashed after sending sends the same job again, and the copies then share one
Message-ID (and one X-SpineCare-Idempotency-Key header), which mail clients and
receiving scripts use to drop the duplicate.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate

from spinecare import settings
from spinecare.delivery.common import REQUEST_TYPE_LABELS, DeliveryFailed, Job, printable
from spinecare.events import log_event
from spinecare.storage.models import MriReviewRequest

IDEMPOTENCY_HEADER = "X-SpineCare-Idempotency-Key"

_BEST_TIMES = {
    "asap": "as soon as possible",
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
}

# Shown only with SPINECARE_EMAIL_INCLUDE_DETAILS=true, in this order.
DETAIL_FIELDS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("zip_code", "ZIP code"),
    ("state", "State"),
    ("has_mri", "Has an MRI"),
    ("mri_taken", "MRI taken"),
    ("mri_older_than_two_years", "MRI older than 2 years"),
    ("mri_region", "MRI region"),
    ("symptoms", "Symptoms"),
    ("symptom_duration", "Symptoms for"),
    ("treatments_tried", "Treatments tried"),
    ("patient_notes", "Notes from the person"),
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(printable(item) for item in value)
    return printable(value)


def console_link(config: settings.Settings, reference: str) -> str:
    return f"{config.console_origin.rstrip('/')}/requests/{reference}"


def message_id(idempotency_key: str, sender_address: str) -> str:
    """<key@domain>, the same for every send of one job ("/" is allowed in a Message-ID)."""
    domain = sender_address.rpartition("@")[2] or "spinecare.invalid"
    return f"<{idempotency_key}@{domain}>"


def build_message(
    job: Job, request: MriReviewRequest, config: settings.Settings | None = None
) -> EmailMessage:
    """The notification email for `job`; details only when the setting allows them."""
    config = config or settings.load()
    kind = REQUEST_TYPE_LABELS.get(request.request_type, request.request_type)
    lines = [
        f"A new {kind} request has arrived.",
        "",
        f"Reference:    {request.reference}",
        f"Request type: {kind}",
        f"Received:     {_when(request.created_at)}",
        f"Contact by:   {request.contact_method}",
        f"Best time:    {_BEST_TIMES.get(request.best_time, request.best_time)}",
        "",
        f"Open it in the console: {console_link(config, request.reference)}",
    ]
    if config.email_include_details:
        lines += ["", "Details (sent because SPINECARE_EMAIL_INCLUDE_DETAILS is on):"]
        for name, label in DETAIL_FIELDS:
            value = getattr(request, name)
            if value is None or value == [] or value == "":
                continue
            if name == "mri_taken":
                value = value.strftime("%Y-%m")
            lines.append(f"{label}: {_value(value)}")
    else:
        lines += [
            "",
            "This email leaves out the person's details on purpose; read them in the console.",
        ]

    message = EmailMessage()
    message["Subject"] = f"New {kind} request {request.reference}"
    message["From"] = config.smtp_from
    message["To"] = ", ".join(config.smtp_recipients)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(job.idempotency_key, config.smtp_from)
    message[IDEMPOTENCY_HEADER] = job.idempotency_key
    message["X-SpineCare-Reference"] = request.reference
    message["X-SpineCare-Event"] = job.event
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n")
    return message


class EmailSender:
    """Sends one email per job to every configured recipient."""

    kind = "email"

    def __init__(self, config: settings.Settings | None = None) -> None:
        self.config = config or settings.load()

    def problem(self) -> str | None:
        if not self.config.smtp_host:
            return "SPINECARE_SMTP_HOST is not set"
        if not self.config.smtp_recipients:
            return "SPINECARE_SMTP_RECIPIENTS is not set"
        if self.config.smtp_username and not self.config.smtp_password:
            return "SPINECARE_SMTP_USERNAME is set without SPINECARE_SMTP_PASSWORD"
        return None

    def send(self, job: Job, request: MriReviewRequest) -> None:
        config = self.config
        message = build_message(job, request, config)
        try:
            with smtplib.SMTP(
                config.smtp_host, config.smtp_port, timeout=config.smtp_timeout_seconds
            ) as smtp:
                smtp.ehlo()
                if config.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if config.smtp_username:
                    smtp.login(config.smtp_username, config.smtp_password)
                refused = smtp.send_message(
                    message, from_addr=config.smtp_from, to_addrs=list(config.smtp_recipients)
                )
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed("every recipient was refused", error_type=_name(exc)) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryFailed(
                "the server does not support STARTTLS", error_type=_name(exc)
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(f"SMTP reply {exc.smtp_code}", error_type=_name(exc)) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise DeliveryFailed("the server disconnected", error_type=_name(exc)) from None
        except TimeoutError as exc:
            raise DeliveryFailed("timed out", error_type=_name(exc)) from None
        except ConnectionRefusedError as exc:
            raise DeliveryFailed("connection refused", error_type=_name(exc)) from None
        except ssl.SSLError as exc:
            raise DeliveryFailed("TLS failed", error_type=_name(exc)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed("could not send", error_type=_name(exc)) from None
        if refused:
            log_event("outbox.email_partial", job_id=job.id, count=len(refused), kind=self.kind)


def _name(exc: BaseException) -> str:
    return type(exc).__name__
