"""Consultant accounts, rate-limited sign-in and server-side sign-ins.

Why apart from the web app: `spinecare users ...` and the console must apply the
same username and password rules, and the rules that protect sign-in are easier
to reason about (and to test) without a web server around them:

- Passwords are stored as argon2id hashes, and rehashed at sign-in when the
  library's recommended parameters change.
- Sign-in never tells whether a username exists: an unknown or disabled user gets
  the same answer, after the same argon2 work, as a wrong password.
- Every attempt is a row in `login_attempt`, written before the password is
  checked, so limits hold across restarts and worker processes and a burst of
  parallel guesses cannot all slip in under the limit. Failures count per username
  (since that user's last successful sign-in) and per client IP; attempts refused
  while locked do not extend the lock.
- A sign-in is a random token in a signed cookie; only its SHA-256 is stored, so
  reading the table does not let anyone take over a sign-in. Signing out,
  disabling the user, changing the password or an idle timeout deletes the row.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from spinecare.storage.models import ConsoleSignIn, ConsultantUser, LoginAttempt, utcnow

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
PASSWORD_MIN_CHARS = 12
# argon2 accepts any length; a cap keeps a huge form field from becoming a slow request.
PASSWORD_MAX_CHARS = 1024
# However active a sign-in is, the password is asked for again after a working day.
SIGN_IN_MAX_AGE = timedelta(hours=12)
# Writing last_seen_at on every page view would turn each read into a write.
_TOUCH_INTERVAL = timedelta(seconds=60)
LOGIN_ATTEMPT_RETENTION = timedelta(days=30)

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A username or password that cannot be used; the message says why."""


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def normalise_username(text: str) -> str:
    return (text or "").strip().lower()


def check_username(text: str) -> str:
    """The canonical username, or AccountError."""
    username = normalise_username(text)
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError(
            "A username is 2 to 64 characters: letters, digits, dots, dashes or "
            "underscores, starting with a letter or digit."
        )
    return username


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise AccountError(f"A password needs at least {PASSWORD_MIN_CHARS} characters.")
    if len(password) > PASSWORD_MAX_CHARS:
        raise AccountError(f"A password has at most {PASSWORD_MAX_CHARS} characters.")
    if not password.strip():
        raise AccountError("A password cannot be only spaces.")


# --- users --------------------------------------------------------------------------


def get_user(session: Session, username: str) -> ConsultantUser | None:
    return session.execute(
        select(ConsultantUser).where(ConsultantUser.username == normalise_username(username))
    ).scalar_one_or_none()


def list_users(session: Session) -> list[ConsultantUser]:
    return list(session.execute(select(ConsultantUser).order_by(ConsultantUser.username)).scalars())


def add_user(session: Session, username: str, password: str) -> ConsultantUser:
    """Create an enabled user; AccountError if the name is invalid or taken."""
    username = check_username(username)
    check_password(password)
    if get_user(session, username) is not None:
        raise AccountError(f"A user named {username} already exists.")
    user = ConsultantUser(
        username=username, password_hash=_hasher.hash(password), created_at=utcnow()
    )
    session.add(user)
    session.flush()
    return user


def _existing(session: Session, username: str) -> ConsultantUser:
    user = get_user(session, username)
    if user is None:
        raise AccountError(f"No user named {normalise_username(username)}.")
    return user


def set_password(session: Session, username: str, password: str) -> ConsultantUser:
    """Replace the password and end the user's sign-ins."""
    check_password(password)
    user = _existing(session, username)
    user.password_hash = _hasher.hash(password)
    end_user_sign_ins(session, user)
    return user


def set_disabled(session: Session, username: str, disabled: bool) -> ConsultantUser:
    """Disable (ending every sign-in at once) or re-enable a user."""
    user = _existing(session, username)
    user.disabled = disabled
    if disabled:
        end_user_sign_ins(session, user)
    return user


def end_user_sign_ins(session: Session, user: ConsultantUser) -> None:
    session.execute(
        delete(ConsoleSignIn)
        .where(ConsoleSignIn.user_id == user.id)
        .execution_options(synchronize_session=False)
    )


# --- sign-in ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    max_failures: int = 5
    ip_max_failures: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class SignInResult:
    user: ConsultantUser | None = None
    locked_minutes: int = 0

    @property
    def locked(self) -> bool:
        return self.locked_minutes > 0


def _failures(session: Session, column, value: str, since: datetime, own_id: int) -> list:
    """Times of failed attempts since `since`, newest first, without the current one."""
    return list(
        session.execute(
            select(LoginAttempt.at)
            .where(
                column == value,
                LoginAttempt.outcome == "failed",
                LoginAttempt.at >= since,
                LoginAttempt.id != own_id,
            )
            .order_by(LoginAttempt.at.desc())
        ).scalars()
    )


def _minutes_left(failures: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Whole minutes until fewer than `limit` failures remain in the window (0: not locked)."""
    if len(failures) < limit:
        return 0
    unlocked_at = failures[limit - 1] + window
    return max(1, math.ceil((unlocked_at - now).total_seconds() / 60))


def sign_in(
    session: Session,
    username: str,
    password: str,
    ip: str,
    limits: Limits,
    now: datetime | None = None,
) -> SignInResult:
    """Check a sign-in; commits the attempt. `user` is set only on success."""
    now = now or utcnow()
    name = normalise_username(username)[:64]
    ip = (ip or "unknown")[:64]
    session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.at < now - LOGIN_ATTEMPT_RETENTION)
        .execution_options(synchronize_session=False)
    )
    attempt = LoginAttempt(at=now, username=name, ip=ip, outcome="failed")
    session.add(attempt)
    session.commit()

    window_start = now - limits.window
    last_ok = session.execute(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == name, LoginAttempt.outcome == "ok"
        )
    ).scalar_one_or_none()
    user_since = max(window_start, last_ok) if last_ok else window_start
    locked_minutes = max(
        _minutes_left(
            _failures(session, LoginAttempt.username, name, user_since, attempt.id),
            limits.max_failures,
            limits.window,
            now,
        ),
        _minutes_left(
            _failures(session, LoginAttempt.ip, ip, window_start, attempt.id),
            limits.ip_max_failures,
            limits.window,
            now,
        ),
    )
    if locked_minutes:
        attempt.outcome = "locked"
        session.commit()
        return SignInResult(locked_minutes=locked_minutes)

    user = get_user(session, name) if USERNAME_PATTERN.fullmatch(name) else None
    password = password[:PASSWORD_MAX_CHARS]
    stored = user.password_hash if user is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
        verified = True
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        verified = False
    if not verified or user is None or user.disabled:
        return SignInResult()
    attempt.outcome = "ok"
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.commit()
    return SignInResult(user=user)


# --- sign-ins -----------------------------------------------------------------------


def _sign_in_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_sign_in(
    session: Session, user: ConsultantUser, idle: timedelta, now: datetime | None = None
) -> str:
    """A new sign-in for `user` (commits); returns the token for the cookie."""
    now = now or utcnow()
    session.execute(
        delete(ConsoleSignIn)
        .where(
            (ConsoleSignIn.last_seen_at < now - idle)
            | (ConsoleSignIn.created_at < now - SIGN_IN_MAX_AGE)
        )
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSignIn(
            id=_sign_in_id(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    session.commit()
    return token


@dataclass(frozen=True)
class SignInState:
    """What a request's cookie resolved to: a live sign-in, or why there is none."""

    record: ConsoleSignIn | None = None
    expired: bool = False


def resume_sign_in(
    session: Session, token: str, idle: timedelta, now: datetime | None = None
) -> SignInState:
    """The live sign-in for `token`; an idle or too old one is deleted and reported."""
    now = now or utcnow()
    record = session.get(ConsoleSignIn, _sign_in_id(token))
    if record is None:
        return SignInState()
    if record.user.disabled:
        session.delete(record)
        session.commit()
        return SignInState()
    if now - record.last_seen_at > idle or now - record.created_at > SIGN_IN_MAX_AGE:
        session.delete(record)
        session.commit()
        return SignInState(expired=True)
    if now - record.last_seen_at > _TOUCH_INTERVAL:
        record.last_seen_at = now
        session.commit()
    return SignInState(record=record)


def end_sign_in(session: Session, token: str) -> None:
    session.execute(
        delete(ConsoleSignIn)
        .where(ConsoleSignIn.id == _sign_in_id(token))
        .execution_options(synchronize_session=False)
    )
    session.commit()
