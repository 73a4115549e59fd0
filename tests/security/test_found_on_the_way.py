"""Point 8: "/" messages and red flags, webhook signatures, database and SMTP connections."""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import socket
import ssl
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy.exc import OperationalError

from addons.red_flag_detector import is_intent_payload
from spinecare import settings
from spinecare.delivery import email as email_delivery
from spinecare.delivery.common import DeliveryFailed
from spinecare.delivery.webhook import sign, verify_signature
from spinecare.devserver import free_port
from spinecare.storage import db
from tests.security.support import RED_FLAG


@pytest.mark.integration
@pytest.mark.parametrize("prefix", ["/", "/ ", "//"])
def test_a_red_flag_after_a_slash_still_gets_emergency_advice(chat, prefix):
    reply = chat.say(prefix + RED_FLAG).text
    assert "911" in reply and "emergency room now" in reply


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("/greet", True),
        ('/inform{"name": "Jon"}', True),
        ("/affirm@0.9", True),
        ("/I can't control my bladder", False),
        ("/ numb groin", False),
        ("/greet and my legs are weak", False),
    ],
)
def test_only_exact_intent_payloads_skip_the_red_flag_rules(text, payload):
    assert is_intent_payload(text) is payload


def test_a_non_ascii_signature_header_is_false_not_an_error():
    now = int(time.time())
    good = sign("s" * 32, now, b"{}")
    assert verify_signature("s" * 32, now, b"{}", good, now=now)
    for header in ("sha256=\u00e9" + good[8:], "sha256=ÿ", good + "\u2603"):
        assert verify_signature("s" * 32, now, b"{}", header, now=now) is False
    assert verify_signature("s" * 32, "\u0661\u0667" + "\u0660" * 8, b"{}", good, now=now) is False


def test_an_unresponsive_postgresql_fails_within_the_connect_timeout():
    """A server that accepts TCP but never answers: without a timeout libpq waits forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    port = listener.getsockname()[1]
    engine = db.make_engine(
        f"postgresql://spinecare@127.0.0.1:{port}/spinecare", connect_timeout_seconds=2
    )
    started = time.monotonic()
    result: list[object] = []

    def connect():
        try:
            engine.connect()
        except OperationalError as error:
            result.append(error)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert result and isinstance(result[0], OperationalError), "still waiting after 30 s"
    assert time.monotonic() - started < 15
    listener.close()


# --- SMTP ---------------------------------------------------------------------------------


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def smtp_config(**overrides) -> settings.Settings:
    values = {
        "smtp_host": "127.0.0.1", "smtp_port": 1025, "smtp_starttls": False,
        "smtp_implicit_tls": False, "smtp_username": "", "smtp_password": "",
        "smtp_from": "spinecare@practice.example", "smtp_recipients": ("c@practice.example",),
        "smtp_timeout_seconds": 5.0, "email_include_details": False,
    }  # fmt: skip
    values.update(overrides)
    return dataclasses.replace(settings.load(), **values)


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"smtp_host": "smtp.practice.example", "smtp_username": "bot", "smtp_password": "pw"},
         "password would travel in clear"),
        ({"smtp_host": "smtp.practice.example", "email_include_details": True},
         "patient details would travel in clear"),
        ({"smtp_implicit_tls": True, "smtp_starttls": True}, "choose one"),
    ],
)  # fmt: skip
def test_smtp_refuses_to_send_secrets_or_details_in_clear(overrides, says):
    sender = email_delivery.EmailSender(smtp_config(**overrides))
    assert says in sender.problem()
    with pytest.raises(DeliveryFailed):
        sender.send(None, None)  # refused before anything is built or connected


def test_clear_text_is_fine_to_a_mail_catcher_on_this_machine_and_tls_elsewhere():
    assert (
        email_delivery.EmailSender(smtp_config(smtp_username="u", smtp_password="p")).problem()
        is None
    )
    tls = smtp_config(smtp_host="smtp.practice.example", smtp_username="u", smtp_password="p",
                      smtp_implicit_tls=True)  # fmt: skip
    assert email_delivery.EmailSender(tls).problem() is None


def self_signed(tmp_path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_implicit_tls_on_port_465_style_servers(tmp_path, monkeypatch):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", cert)  # trust our test certificate, and only it
        config = smtp_config(smtp_port=port, smtp_implicit_tls=True)
        job, request = fake_job_and_request()
        email_delivery.EmailSender(config).send(job, request)
        assert len(mailbox.messages) == 1 and b"MRI-TEST-01" in mailbox.messages[0]
        # The same server spoken to without TLS does not get the mail.
        with pytest.raises(DeliveryFailed):
            email_delivery.EmailSender(smtp_config(smtp_port=port)).send(job, request)
    finally:
        controller.stop()


def test_port_465_means_implicit_tls_by_default(monkeypatch):
    monkeypatch.setenv("SPINECARE_SMTP_PORT", "465")
    monkeypatch.delenv("SPINECARE_SMTP_IMPLICIT_TLS", raising=False)
    assert settings.load().smtp_implicit_tls is True


def fake_job_and_request():
    from spinecare.delivery.common import Job
    from spinecare.storage.models import PatientRequest

    job = Job(1, "email", "MRI-TEST-01", "key-1", "mri_review.created", 1,
              datetime.datetime.now(datetime.timezone.utc))  # fmt: skip
    request = PatientRequest(reference="MRI-TEST-01", request_type="mri_review",
                               contact_method="text", best_time="morning")  # fmt: skip
    return job, request
