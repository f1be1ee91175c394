"""Staff sign-in: argon2 passwords, lockout per username and address, server-side sessions
with a CSRF token each that end after the idle timeout."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from bot.web.data import staff as staff_data
from bot.web.errors import Problem
from bot.web.models import StaffUser
from bot.web.models.staff import ROLES
from bot.web.runtime import Runtime

HASHER = PasswordHasher()
# Verified when the username is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = HASHER.hash("no such user: timing equaliser")
MIN_PASSWORD = 12
TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class SignedIn:
    id: int
    username: str
    display_name: str
    role: str
    csrf_token: str
    session_hash: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, now, *, username: str, display_name: str, role: str,
                password: str) -> StaffUser:  # type: ignore[no-untyped-def]
    username = username.strip().lower()
    if role not in ROLES:
        raise Problem(422, "validation_error", f"role: must be one of {', '.join(ROLES)}")
    if not username or len(username) > 80 or not display_name.strip():
        raise Problem(422, "validation_error", "username and display name are required")
    if len(password) < MIN_PASSWORD:
        raise Problem(422, "validation_error",
                      f"password: must be at least {MIN_PASSWORD} characters")
    if staff_data.user_by_username(session, username) is not None:
        raise Problem(409, "username_taken", f"A staff user called {username} already exists.")
    user = staff_data.add_user(session, username=username, display_name=display_name.strip(),
                               role=role, password_hash=HASHER.hash(password), created_at=now)
    staff_data.record(session, now, "staff_created", staff_id=user.id, role=role)
    return user


def sign_in(rt: Runtime, username: str, password: str, address: str) -> tuple[str, SignedIn]:
    """Returns (cookie value, user). Refusals are committed (audit) before raising.

    Failed attempts are counted per username and address: someone guessing from elsewhere
    cannot lock a member of staff out, and an unknown username is answered exactly like a
    known one (same 401, same 429 after the same number of failures)."""
    now = rt.clock.now()
    name = username.strip().lower()
    rate = f"{rt.settings.staff_lockout_attempts}/{rt.settings.staff_lockout_minutes} minutes"
    key = ("staff_login_failures", name, address)
    refusal: Problem | None = None
    with rt.transaction() as session:
        user = staff_data.user_by_username(session, name)
        staff_id = user.id if user is not None else None
        if not rt.limiter.allowed(rate, *key):
            _verify(_DUMMY_HASH, password)
            staff_data.record(session, now, "login_refused_locked", staff_id=staff_id,
                              address=address)
            refusal = _too_many(rt)
        elif user is None or not user.active or not _verify(user.password_hash, password):
            if user is None or not user.active:
                _verify(_DUMMY_HASH, password)
            rt.limiter.count(rate, *key)
            staff_data.record(session, now, "login_failed", staff_id=staff_id, address=address,
                              reason="bad_password" if staff_id else "unknown_user")
            refusal = Problem(401, "bad_credentials", "Wrong username or password.")
            if not rt.limiter.allowed(rate, *key):
                staff_data.record(session, now, "locked_out", staff_id=staff_id,
                                  address=address)
                refusal = _too_many(rt)
        else:
            rt.limiter.clear(rate, *key)
            return _start_session(rt, session, user)
    raise refusal


def _too_many(rt: Runtime) -> Problem:
    return Problem(429, "too_many_attempts", "Too many failed attempts. Wait "
                   f"{rt.settings.staff_lockout_minutes} minutes and try again.")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _start_session(rt: Runtime, session: Session, user: StaffUser) -> tuple[str, SignedIn]:
    now = rt.clock.now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = staff_data.add_session(
        session, id=_hash(token), staff_id=user.id, csrf_token=csrf, created_at=now,
        last_seen_at=now, expires_at=now + timedelta(hours=rt.settings.staff_session_hours))
    staff_data.record(session, now, "login", staff_id=user.id)
    return token, SignedIn(user.id, user.username, user.display_name, user.role, csrf, row.id)


def from_cookie(rt: Runtime, cookie: str) -> SignedIn | None:
    if not cookie:
        return None
    now = rt.clock.now()
    with rt.transaction() as session:
        row = staff_data.live_session(session, _hash(cookie), now)
        user = staff_data.get_user(session, row.staff_id) if row else None
        if row is None or user is None or not user.active:
            return None
        if now - row.last_seen_at > timedelta(minutes=rt.settings.staff_idle_minutes):
            row.ended_at = now
            staff_data.record(session, now, "session_idle_timeout", staff_id=user.id)
            return None
        if now - row.last_seen_at > TOUCH_EVERY:
            row.last_seen_at = now
        return SignedIn(user.id, user.username, user.display_name, user.role, row.csrf_token,
                        row.id)


def touch(rt: Runtime, user: SignedIn) -> None:
    """Mark the agent present (the console's live stream calls this on every heartbeat)."""
    with rt.transaction() as session:
        row = staff_data.live_session(session, user.session_hash, rt.clock.now())
        if row is not None:
            row.last_seen_at = rt.clock.now()


def sign_out(rt: Runtime, user: SignedIn) -> None:
    now = rt.clock.now()
    with rt.transaction() as session:
        row = staff_data.live_session(session, user.session_hash, now)
        if row is not None:
            row.ended_at = now
        staff_data.record(session, now, "logout", staff_id=user.id)
