"""Queries on escalations and agents' notes, including the ordered staff queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from bot.web.models import Escalation, Note, StaffUser

OPEN_STATUSES = ("waiting", "claimed")

# Safeguarding first, then urgent > high > normal, then whoever has waited longest.
QUEUE_ORDER = (
    case((Escalation.safeguarding.is_(True), 0), else_=1),
    case((Escalation.priority == "urgent", 0), (Escalation.priority == "high", 1), else_=2),
    Escalation.opened_at,
    Escalation.id,
)


def open_escalation(session: Session, **fields) -> Escalation:
    escalation = Escalation(status="waiting", **fields)
    session.add(escalation)
    session.flush()
    return escalation


def get_escalation(session: Session, escalation_id: int) -> Escalation | None:
    return session.get(Escalation, escalation_id)


def open_escalation_of(session: Session, conversation_id: str) -> Escalation | None:
    query = (
        select(Escalation)
        .where(Escalation.conversation_id == conversation_id,
               Escalation.status.in_(OPEN_STATUSES))
        .order_by(Escalation.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def waiting_queue(session: Session) -> list[Escalation]:
    query = select(Escalation).where(Escalation.status == "waiting").order_by(*QUEUE_ORDER)
    return list(session.execute(query).scalars())


def claimed_by(session: Session, staff_id: int) -> list[Escalation]:
    query = (
        select(Escalation)
        .where(Escalation.status == "claimed", Escalation.claimed_by == staff_id)
        .order_by(*QUEUE_ORDER)
    )
    return list(session.execute(query).scalars())


def position_in_queue(session: Session, escalation: Escalation) -> int:
    """1-based place among waiting live chats, in queue order."""
    ids = [e.id for e in waiting_queue(session) if e.kind == "live"]
    return ids.index(escalation.id) + 1 if escalation.id in ids else len(ids) + 1


def claim(session: Session, escalation_id: int, staff_id: int, now: datetime) -> bool:
    """Atomic: only one of two simultaneous claims can move the row out of `waiting`."""
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == "waiting")
        .values(status="claimed", claimed_by=staff_id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def add_note(session: Session, escalation_id: int, staff_id: int, text: str,
             now: datetime) -> Note:
    note = Note(escalation_id=escalation_id, staff_id=staff_id, text=text, created_at=now)
    session.add(note)
    session.flush()
    return note


def notes_of(session: Session, escalation_id: int) -> list[tuple[Note, str]]:
    query = (
        select(Note, StaffUser.display_name)
        .join(StaffUser, StaffUser.id == Note.staff_id)
        .where(Note.escalation_id == escalation_id)
        .order_by(Note.id)
    )
    return [(n, name) for n, name in session.execute(query).all()]
