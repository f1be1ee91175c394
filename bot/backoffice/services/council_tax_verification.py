"""Rules of council tax verification: the details that must match, the tokens that prove it,
and the limit on failed attempts per account number.

The limit counts failures per account number as typed, whether or not the account exists,
so that being refused says nothing about the account. Once `AttemptLimit.max_failures`
failures fall within `AttemptLimit.window`, every attempt for that number is refused, before
any detail is compared, until `AttemptLimit.lockout` after the last failure, whoever asks.
A successful verification clears the count.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.models.council_tax import (
    CouncilTaxAccount,
    VerificationFailure,
    VerificationToken,
)
from bot.backoffice.postcodes import normalise_postcode
from bot.http.problems import Problem


@dataclass(frozen=True)
class AttemptLimit:
    max_failures: int = 5
    window: timedelta = timedelta(hours=1)
    lockout: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class Verified:
    token: str
    account_number: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _tidy_name(raw: str) -> str:
    return " ".join(raw.replace("-", " ").split()).casefold()


def locked_until(session: Session, account_number: str, now: datetime,
                 limit: AttemptLimit) -> datetime | None:
    """When attempts for this number are allowed again, or None when they are now."""
    recent = session.scalars(
        select(VerificationFailure.failed_at)
        .where(VerificationFailure.account_number == account_number,
               VerificationFailure.failed_at > now - limit.window)
        .order_by(VerificationFailure.failed_at.desc())
    ).all()
    if len(recent) < limit.max_failures:
        return None
    until = recent[0] + limit.lockout
    return until if until > now else None


def _record_failure(session: Session, account_number: str, now: datetime,
                    limit: AttemptLimit) -> None:
    session.execute(delete(VerificationFailure).where(
        VerificationFailure.account_number == account_number,
        VerificationFailure.failed_at <= now - limit.window))
    session.add(VerificationFailure(account_number=account_number, failed_at=now))


def verify(
    session: Session, *, account_number: str, surname: str, postcode: str, now: datetime,
    ttl_seconds: int, limit: AttemptLimit,
) -> Verified | Problem:
    """All three must match; a refusal never says which one did not.

    Refusals are returned, not raised, so that the caller's transaction commits the failed
    attempt recorded here (a raised error would roll it back).
    """
    digits = "".join(account_number.split())
    retry_at = locked_until(session, digits, now, limit)
    if retry_at is not None:
        retry_after = max(1, math.ceil((retry_at - now).total_seconds()))
        return Problem(429, "too_many_attempts",
                       "Too many failed attempts to verify this account. Try again later.",
                       headers={"Retry-After": str(retry_after)}, retry_after=retry_after)
    account = session.get(CouncilTaxAccount, digits) if digits.isdigit() else None
    address = session.get(Address, account.uprn) if account else None
    checks = [
        account is not None,
        secrets.compare_digest(_tidy_name(surname).encode(),
                               _tidy_name(account.surname if account else "").encode()),
        address is not None and normalise_postcode(postcode) == address.postcode,
    ]
    if not all(checks):
        _record_failure(session, digits, now, limit)
        return Problem(422, "verification_failed",
                       "Those details do not match an account we hold.")
    session.execute(delete(VerificationFailure).where(
        VerificationFailure.account_number == digits))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=ttl_seconds)
    session.add(VerificationToken(token_hash=_hash(token), account_number=digits,
                                  expires_at=expires_at))
    return Verified(token, digits, expires_at)


def verified_account(
    session: Session, *, account_number: str, token: str | None, now: datetime, ttl_seconds: int,
) -> CouncilTaxAccount:
    """The account a token proves; each use keeps it alive for another TTL (idle timeout)."""
    if not token:
        raise Problem(422, "verification_required",
                      "Verify the resident first and send X-Verification-Token.")
    record = session.get(VerificationToken, _hash(token))
    if record is None or record.account_number != account_number:
        raise Problem(422, "verification_required", "That verification is not valid.")
    if record.expires_at <= now:
        raise Problem(422, "verification_expired", "That verification has expired.")
    record.expires_at = now + timedelta(seconds=ttl_seconds)
    account = session.get(CouncilTaxAccount, account_number)
    assert account is not None  # tokens are only issued for existing accounts
    return account
