"""Signed chat session ids: only ours verify, keys rotate, ids expire."""

from __future__ import annotations

import time

from spinecare.sessions import SessionSigner

OLD, NEW = "o" * 40, "n" * 40


def test_an_issued_id_verifies_to_its_conversation():
    signer = SessionSigner([NEW], max_age_seconds=3600)
    session = signer.issue()
    assert signer.verify(session.token) == session
    assert session.conversation_id in session.token and len(session.conversation_id) == 32


def test_tampered_bare_or_foreign_ids_do_not_verify():
    signer = SessionSigner([NEW], max_age_seconds=3600)
    token = signer.issue().token
    kid, conversation, issued, mac = token.split(".")
    # A different last character: a fixed "A" left one token in 16 unchanged (a SHA-256
    # signature's last base64 character is one of 16).
    last_changed = token[:-1] + ("B" if token.endswith("A") else "A")
    assert last_changed != token
    for forged in [conversation, f"{kid}.{conversation}.{issued}", last_changed,
                   f"{kid}.{'0' * 32}.{issued}.{mac}", SessionSigner([OLD], 3600).issue().token,
                   None, 42, {"id": token}, token + " "]:  # fmt: skip
        assert signer.verify(forged) is None, forged


def test_rotation_keeps_old_ids_until_the_old_key_is_removed():
    old_token = SessionSigner([OLD], 3600).issue().token
    rotating = SessionSigner([NEW, OLD], 3600)
    assert rotating.verify(old_token) is not None
    assert rotating.issue().token.split(".")[0] == SessionSigner([NEW], 3600).issue().token[:8]
    assert SessionSigner([NEW], 3600).verify(old_token) is None


def test_ids_expire_with_the_conversation_retention():
    signer = SessionSigner([NEW], max_age_seconds=60)
    token = signer.issue(now=time.time() - 120).token
    assert signer.verify(token) is None
    assert signer.verify(signer.issue(now=time.time() + 3600).token) is None  # from the future
