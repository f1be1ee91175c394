"""Queries on staff users, sign-in sessions, saved replies and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.web.models import AuditEntry, SavedReply, StaffSession, StaffUser


def get_user(session: Session, staff_id: int) -> StaffUser | None:
    return session.get(StaffUser, staff_id)


def user_by_username(session: Session, username: str) -> StaffUser | None:
    query = select(StaffUser).where(StaffUser.username == username)
    return session.execute(query).scalar_one_or_none()


def add_user(session: Session, **fields) -> StaffUser:
    user = StaffUser(failed_logins=0, active=True, **fields)
    session.add(user)
    session.flush()
    return user


def users_with_roles(session: Session, roles: tuple[str, ...]) -> list[StaffUser]:
    query = (
        select(StaffUser)
        .where(StaffUser.role.in_(roles), StaffUser.active.is_(True))
        .order_by(StaffUser.display_name)
    )
    return list(session.execute(query).scalars())


def add_session(session: Session, **fields) -> StaffSession:
    row = StaffSession(**fields)
    session.add(row)
    session.flush()
    return row


def live_session(session: Session, session_hash: str, now: datetime) -> StaffSession | None:
    query = select(StaffSession).where(
        StaffSession.id == session_hash,
        StaffSession.ended_at.is_(None),
        StaffSession.expires_at > now,
    )
    return session.execute(query).scalar_one_or_none()


def agents_present_since(session: Session, since: datetime) -> int:
    """Agents (or admins) with a live session used since `since`."""
    query = (
        select(StaffSession.staff_id)
        .join(StaffUser, StaffUser.id == StaffSession.staff_id)
        .where(
            StaffSession.ended_at.is_(None),
            StaffSession.last_seen_at >= since,
            StaffUser.role.in_(("agent", "admin")),
        )
        .distinct()
    )
    return len(session.execute(query).all())


def saved_replies(session: Session) -> list[SavedReply]:
    return list(session.execute(select(SavedReply).order_by(SavedReply.title)).scalars())


def add_saved_reply(session: Session, title: str, text: str) -> SavedReply:
    reply = SavedReply(title=title, text=text)
    session.add(reply)
    session.flush()
    return reply


def record(session: Session, now: datetime, action: str, *, staff_id: int | None = None,
           escalation_id: int | None = None, conversation_id: str | None = None,
           **detail) -> AuditEntry:
    entry = AuditEntry(at=now, action=action, staff_id=staff_id, escalation_id=escalation_id,
                       conversation_id=conversation_id, detail=detail)
    session.add(entry)
    session.flush()
    return entry


def audit_entries(session: Session, limit: int = 200,
                  escalation_id: int | None = None) -> list[tuple[AuditEntry, str | None]]:
    query = (
        select(AuditEntry, StaffUser.username)
        .outerjoin(StaffUser, StaffUser.id == AuditEntry.staff_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if escalation_id is not None:
        query = query.where(AuditEntry.escalation_id == escalation_id)
    return [(e, name) for e, name in session.execute(query).all()]
