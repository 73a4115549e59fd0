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

from spinecare import requests, settings
from spinecare.delivery.common import DeliveryFailed, Job, printable
from spinecare.events import log_event
from spinecare.requests import REQUEST_TYPE_LABELS
from spinecare.storage.models import PatientRequest

IDEMPOTENCY_HEADER = "X-SpineCare-Idempotency-Key"

_BEST_TIMES = {
    "asap": "as soon as possible",
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
}

# The lines every email has; the rest of the declaration's email fields are the details.
HEADER_FIELDS = (
    "reference", "request_type", "created_at", "contact_method", "best_time",
    "messages_opted_out",
)  # fmt: skip
# Shown only with SPINECARE_EMAIL_INCLUDE_DETAILS=true, in the declaration's order.
DETAIL_FIELDS = tuple(
    (name, label) for name, label in requests.labels(requests.EMAIL) if name not in HEADER_FIELDS
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


def build_message(job: Job, request: PatientRequest, config: settings.Settings) -> EmailMessage:
    """The notification email for `job`; details only when the setting allows them."""
    kind = REQUEST_TYPE_LABELS.get(request.request_type, request.request_type)
    lines = [
        f"A new {kind} request has arrived.",
        "",
        f"Reference:    {request.reference}",
        f"Request type: {kind}",
        f"Received:     {_when(request.created_at)}",
        f"Contact by:   {request.contact_method}",
        f"Best time:    {_BEST_TIMES.get(request.best_time, request.best_time)}",
        *(
            ["Texts:        opted out (STOP), do not text this person"]
            if request.messages_opted_out
            else []
        ),
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

    def __init__(self, config: settings.Settings) -> None:
        self.config = config

    def problem(self) -> str | None:
        config = self.config
        if not config.smtp_host:
            return "SPINECARE_SMTP_HOST is not set"
        if not config.smtp_recipients:
            return "SPINECARE_SMTP_RECIPIENTS is not set"
        if config.smtp_username and not config.smtp_password:
            return "SPINECARE_SMTP_USERNAME is set without SPINECARE_SMTP_PASSWORD"
        if config.smtp_implicit_tls and config.smtp_starttls:
            return (
                "SPINECARE_SMTP_IMPLICIT_TLS and SPINECARE_SMTP_STARTTLS are both on; "
                "choose one (implicit TLS for port 465, STARTTLS for 587)"
            )
        encrypted = config.smtp_implicit_tls or config.smtp_starttls
        if not encrypted and not settings.is_loopback(config.smtp_host):
            # Only a mail catcher on this machine may be spoken to in clear text.
            if config.smtp_username:
                return (
                    "SPINECARE_SMTP_USERNAME is set for a server that is not on this machine "
                    "without TLS, so the password would travel in clear; set "
                    "SPINECARE_SMTP_STARTTLS=true or SPINECARE_SMTP_IMPLICIT_TLS=true"
                )
            if config.email_include_details:
                return (
                    "SPINECARE_EMAIL_INCLUDE_DETAILS is on for a server that is not on this "
                    "machine without TLS, so patient details would travel in clear; set "
                    "SPINECARE_SMTP_STARTTLS=true or SPINECARE_SMTP_IMPLICIT_TLS=true"
                )
        return None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        return _connect_tls(config) if config.smtp_implicit_tls else _connect_plain(config)

    def send(self, job: Job, request: PatientRequest) -> None:
        config = self.config
        unsafe = self.problem()
        if unsafe is not None:  # never send what problem() forbids, whoever calls send()
            raise DeliveryFailed(unsafe)
        message = build_message(job, request, config)
        try:
            with self._connect() as smtp:
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


def _connect_plain(config: settings.Settings) -> smtplib.SMTP:
    return smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.smtp_timeout_seconds)


def _connect_tls(config: settings.Settings) -> smtplib.SMTP:
    """Implicit TLS (SMTPS, port 465): encrypted from the first byte, certificate checked."""
    return smtplib.SMTP_SSL(
        config.smtp_host,
        config.smtp_port,
        timeout=config.smtp_timeout_seconds,
        context=ssl.create_default_context(),
    )


def _name(exc: BaseException) -> str:
    return type(exc).__name__
