"""The stub back office's records that hold a resident's data beyond the council's own
systems of record: stored responses of retried writes, verification tokens and failed
attempts, and rough sleeping reporters' contact details.

Council tax accounts, requests and waste bookings stand for the council's own systems, which
keep them under their own retention schedules: they are not purged here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.backoffice.models import (
    IdempotencyRecord,
    RoughSleepingReport,
    VerificationFailure,
    VerificationToken,
)
from bot.privacy.gateway import bulk, digits
from bot.privacy.locking import take_turn
from bot.settings import Settings

REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email")


def purge(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    if not take_turn(session, "backoffice"):
        return {}
    contact_until = now - timedelta(days=settings.retention_contact_days)
    failures_kept = timedelta(seconds=max(settings.backoffice_verification_failure_window_seconds,
                                          settings.backoffice_verification_lockout_seconds))
    return {
        "idempotency_records_deleted": bulk(session, delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at
            < now - timedelta(days=settings.retention_idempotency_days))).rowcount,
        "verification_tokens_deleted": bulk(session, delete(VerificationToken).where(
            VerificationToken.expires_at < now)).rowcount,
        "verification_failures_deleted": bulk(session, delete(VerificationFailure).where(
            VerificationFailure.failed_at < now - failures_kept)).rowcount,
        "reporter_contacts_cleared": _clear_reporters(session, or_(
            RoughSleepingReport.update_due < contact_until.date(),
            (RoughSleepingReport.update_due.is_(None))
            & (RoughSleepingReport.created_at < contact_until))),
    }


def _clear_reporters(session: Session, where) -> int:  # type: ignore[no-untyped-def]
    held = or_(*(getattr(RoughSleepingReport, f).is_not(None) for f in REPORTER_FIELDS))
    return bulk(session, update(RoughSleepingReport).where(where, held).values(
        **dict.fromkeys(REPORTER_FIELDS), consent_to_updates=False)).rowcount


def _reports(session: Session, references: Iterable[str], email: str,
             phone: str) -> list[RoughSleepingReport]:
    conditions = [RoughSleepingReport.reference.in_(list(references))]
    if email:
        conditions.append(RoughSleepingReport.reporter_email.ilike(email))
    reports = list(session.scalars(select(RoughSleepingReport).where(or_(*conditions))))
    if phone and digits(phone):
        known = {r.id for r in reports}
        reports += [r for r in session.scalars(select(RoughSleepingReport).where(
            RoughSleepingReport.reporter_phone.is_not(None)))
            if r.id not in known and digits(r.reporter_phone) == digits(phone)]
    return reports


def erase(session: Session, references: Iterable[str], email: str = "",
          phone: str = "") -> dict[str, int]:
    """The reporter's contact details go; the report itself (about someone else, and a
    safeguarding record) stays with the outreach team. Stored responses that repeat the
    details go too."""
    reports = _reports(session, references, email, phone)
    needles = {n.lower() for r in reports for n in (r.reporter_email, r.reporter_phone) if n}
    needles |= {n.lower() for n in (email, phone, digits(phone) if phone else "") if n}
    cleared = _clear_reporters(session, RoughSleepingReport.id.in_([r.id for r in reports]))
    replayed = bulk(session, delete(IdempotencyRecord).where(or_(
        *(func.lower(IdempotencyRecord.response_body).contains(n, autoescape=True)
          for n in needles)))).rowcount if needles else 0
    return {"reporter_contacts_cleared": cleared, "idempotency_records_deleted": replayed}


def export(session: Session, references: Iterable[str], email: str = "",
           phone: str = "") -> list[dict]:
    """Reports the resident made, with what they gave about themselves."""
    return [{"reference": r.reference, "made": r.created_at.isoformat(timespec="seconds"),
             "status": r.status, "your_name": r.reporter_name, "your_phone": r.reporter_phone,
             "your_email": r.reporter_email, "contact_consent": r.consent_to_contact,
             "updates_consent": r.consent_to_updates,
             "update_due": r.update_due.isoformat() if r.update_due else None}
            for r in _reports(session, references, email, phone)]
