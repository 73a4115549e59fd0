"""Sign-in limits, sessions and cookie signing in-process, with the clock under test control."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spinecare import settings
from spinecare.console import accounts
from spinecare.console.security import Signer, same_token
from spinecare.storage import db
from spinecare.storage.models import utcnow
from spinecare.storage.schema import migrate

PASSWORD = "correct horse battery staple"
LIMITS = accounts.Limits(max_failures=5, ip_max_failures=20, window=timedelta(minutes=15))


@pytest.fixture
def session(tmp_path):
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    migrate(url, settings.load())
    engine = db.make_engine(url)
    with db.make_session_factory(engine)() as session:
        accounts.add_user(session, "ann", PASSWORD)
        session.commit()
        yield session
    engine.dispose()


def attempt(session, password, now, username="ann", ip="10.0.0.1"):
    return accounts.sign_in(session, username, password, ip, LIMITS, now=now)


def test_the_lock_lasts_until_the_fifth_failure_leaves_the_window(session):
    start = utcnow()
    for minute in range(5):
        assert attempt(session, "wrong", start + timedelta(minutes=minute)).user is None
    locked = attempt(session, PASSWORD, start + timedelta(minutes=5))
    assert locked.locked and locked.locked_minutes == 10
    # Refused attempts do not extend the lock.
    assert attempt(session, "wrong", start + timedelta(minutes=14)).locked_minutes == 1
    assert attempt(session, PASSWORD, start + timedelta(minutes=15, seconds=1)).user is not None


def test_a_success_resets_the_username_but_not_the_address(session):
    start = utcnow()
    for second in range(4):
        attempt(session, "wrong", start + timedelta(seconds=second))
    assert attempt(session, PASSWORD, start + timedelta(seconds=10)).user is not None
    for second in range(4):
        attempt(session, "wrong", start + timedelta(seconds=20 + second))
    assert not attempt(session, PASSWORD, start + timedelta(seconds=30)).locked

    for number in range(20):
        attempt(session, "wrong", start + timedelta(seconds=40), username=f"guess{number}")
    assert attempt(session, PASSWORD, start + timedelta(seconds=50)).locked
    assert attempt(session, PASSWORD, start + timedelta(seconds=50), ip="10.0.0.2").user


def test_disabled_and_unknown_users_fail_like_a_wrong_password(session):
    accounts.set_disabled(session, "ann", True)
    session.commit()
    for username in ("ann", "nobody", "<script>", "x" * 500):
        result = attempt(session, PASSWORD, utcnow(), username=username, ip=username[:20])
        assert result.user is None and not result.locked


def test_sessions_end_when_idle_too_old_or_disabled(session):
    user = accounts.get_user(session, "ann")
    idle = timedelta(minutes=30)
    start = utcnow()
    token = accounts.start_sign_in(session, user, idle, now=start)
    assert accounts.resume_sign_in(session, token, idle, now=start + timedelta(minutes=29)).record
    assert accounts.resume_sign_in(session, token, idle, now=start + timedelta(minutes=58)).record
    expired = accounts.resume_sign_in(session, token, idle, now=start + timedelta(minutes=89))
    assert expired.record is None and expired.expired
    assert accounts.resume_sign_in(session, token, idle, now=start).record is None

    old = accounts.start_sign_in(session, user, idle, now=start)
    later = start
    while later <= start + accounts.SIGN_IN_MAX_AGE:
        later += timedelta(minutes=20)
        state = accounts.resume_sign_in(session, old, idle, now=later)
    assert state.expired

    live = accounts.start_sign_in(session, user, idle)
    accounts.set_disabled(session, "ann", True)
    session.commit()
    assert accounts.resume_sign_in(session, live, idle).record is None


def test_signed_values_reject_tampering_and_other_purposes():
    signer = Signer("s" * 40)
    signed = signer.sign("session", "abcdefghijklmnop")
    assert signer.unsign("session", signed) == "abcdefghijklmnop"
    assert signer.unsign("login", signed) is None
    assert Signer("t" * 40).unsign("session", signed) is None
    assert signer.unsign("session", "abcdefghijklmnoq" + signed[16:]) is None
    assert signer.unsign("session", signed[:-1]) is None
    for junk in (None, "", ".", "abc", "a.b.c", "<script>.x"):
        assert signer.unsign("session", junk) is None
    with pytest.raises(ValueError):
        signer.sign("session", "has spaces in it!")


def test_csrf_comparison_never_accepts_missing_tokens():
    assert same_token("abc", "abc")
    assert not same_token("abc", "abd")
    assert not same_token("", "")
    assert not same_token(None, "abc")
    assert not same_token("abc", None)
