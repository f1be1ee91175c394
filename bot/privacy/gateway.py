"""The gateway's database: conversations, cases and notes, the content inbox, staff sessions
and the audit log. Purge by the retention settings; find, erase and export one resident's.

Another table holding residents' data joins in two places: a rule in `RETENTION_RULES` (its
period a `retention_*` setting) and, if its rows name a conversation, `CONVERSATION_TABLES`,
so erasure and export reach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from bot.content.models import InboxItem
from bot.insights import record as insight_records
from bot.insights.models import InsightEvent, RatingComment
from bot.privacy.locking import take_turn
from bot.settings import Settings
from bot.web.models import AuditEntry, Conversation, Escalation, Message, Note, StaffSession

OPEN_CASES = ("waiting", "claimed")
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_best_time")
RS_REFERENCE = re.compile(r"\bRS-\d{6}\b")

Rule = Callable[[Session, Settings, datetime], int]


def bulk(session: Session, statement):  # type: ignore[no-untyped-def]
    """A bulk update or delete; nothing in this session holds the rows it changes."""
    return session.execute(statement.execution_options(synchronize_session=False))


def _contact_details(session: Session, settings: Settings, now: datetime) -> int:
    closed_before = now - timedelta(days=settings.retention_contact_days)
    return bulk(session,
        update(Escalation)
        .where(Escalation.closed_at < closed_before, Escalation.status.not_in(OPEN_CASES),
               or_(*(getattr(Escalation, f).is_not(None) for f in CONTACT_FIELDS)))
        .values(**dict.fromkeys(CONTACT_FIELDS))
    ).rowcount


def _conversations(session: Session, settings: Settings, now: datetime) -> int:
    idle_before = now - timedelta(days=settings.retention_conversation_days)
    open_case = exists().where(Escalation.conversation_id == Conversation.id,
                               Escalation.status.in_(OPEN_CASES))
    ids = list(session.scalars(select(Conversation.id).where(
        Conversation.updated_at < idle_before, ~open_case)))
    # An inbox question outlives its conversation (its text is already redacted): unlinked.
    bulk(session, update(InboxItem).where(InboxItem.conversation_id.in_(ids))
                    .values(conversation_id=None))
    return _delete_conversations(session, ids)


def _inbox(session: Session, settings: Settings, now: datetime) -> int:
    return bulk(session, delete(InboxItem).where(or_(
        InboxItem.received_at < now - timedelta(days=settings.retention_inbox_days),
        and_(InboxItem.status != "new", InboxItem.handled_at
             < now - timedelta(days=settings.retention_inbox_answered_days))))).rowcount


def _staff_sessions(session: Session, settings: Settings, now: datetime) -> int:
    before = now - timedelta(days=settings.retention_staff_session_days)
    return bulk(session, delete(StaffSession).where(
        or_(StaffSession.expires_at < before, StaffSession.ended_at < before))).rowcount


def _audit(session: Session, settings: Settings, now: datetime) -> int:
    return bulk(session, delete(AuditEntry).where(
        AuditEntry.at < now - timedelta(days=settings.retention_audit_days))).rowcount


RETENTION_RULES: dict[str, Rule] = {
    "contact_details_cleared": _contact_details,
    "conversations_deleted": _conversations,
    "inbox_items_deleted": _inbox,
    "staff_sessions_deleted": _staff_sessions,
    "audit_entries_deleted": _audit,
    "insight_events_deleted": lambda session, settings, now: insight_records.delete_older_than(
        session, now, settings.insights_retention_days),
}
# Tables whose rows belong to one conversation, by the column naming it; deleted on erasure.
CONVERSATION_TABLES = [(InboxItem, InboxItem.conversation_id),
                       (RatingComment, RatingComment.conversation_id),
                       (InsightEvent, InsightEvent.conversation_id)]


def purge(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    if not take_turn(session, "gateway"):
        return {}
    return {name: rule(session, settings, now) for name, rule in RETENTION_RULES.items()}


def _delete_conversations(session: Session, ids: list[str]) -> int:
    if not ids:
        return 0
    cases = select(Escalation.id).where(Escalation.conversation_id.in_(ids))
    bulk(session, delete(Note).where(Note.escalation_id.in_(cases)))
    bulk(session, delete(Escalation).where(Escalation.conversation_id.in_(ids)))
    bulk(session, delete(Message).where(Message.conversation_id.in_(ids)))
    return bulk(session, delete(Conversation).where(Conversation.id.in_(ids))).rowcount


def digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def conversations_of(session: Session, *, conversation_id: str = "", email: str = "",
                     phone: str = "") -> set[str]:
    """The conversations a resident can be found in: by id, or by the email or phone they
    left for a call-back or typed in a message."""
    found = set()
    if conversation_id and session.get(Conversation, conversation_id) is not None:
        found.add(conversation_id)
    if email:
        found |= set(session.scalars(select(Escalation.conversation_id).where(
            Escalation.contact_email.ilike(email))))
        found |= _typed(session, [email])
    if phone and digits(phone):
        wanted = digits(phone)
        found |= {conversation for conversation, left in session.execute(
            select(Escalation.conversation_id, Escalation.contact_phone)
            .where(Escalation.contact_phone.is_not(None))) if digits(left) == wanted}
        found |= _typed(session, {phone, wanted})
    return found


def _typed(session: Session, needles: Iterable[str]) -> set[str]:
    return set(session.scalars(select(Message.conversation_id).distinct().where(
        Message.sender == "resident",
        or_(*(func.lower(Message.text).contains(n.lower(), autoescape=True)
              for n in needles)))))


def report_references(session: Session, ids: Iterable[str]) -> set[str]:
    """Rough sleeping report references these conversations were given (for the back office)."""
    ids = list(ids)
    texts = session.scalars(select(Message.text).where(Message.conversation_id.in_(ids)))
    found = {ref for text in texts for ref in RS_REFERENCE.findall(text or "")}
    for references in session.scalars(select(Escalation.references)
                                      .where(Escalation.conversation_id.in_(ids))):
        found |= set(RS_REFERENCE.findall(str(references or "")))
    return found


def erase(session: Session, ids: Iterable[str]) -> dict[str, int]:
    ids = list(ids)
    removed = {f"{model.__tablename__}_deleted": bulk(session,
        delete(model).where(column.in_(ids))).rowcount for model, column in CONVERSATION_TABLES}
    messages = session.scalar(select(func.count()).select_from(Message)
                              .where(Message.conversation_id.in_(ids)))
    return {"conversations_deleted": _delete_conversations(session, ids),
            "messages_deleted": messages or 0, **removed}


def export(session: Session, ids: Iterable[str]) -> list[dict]:
    """Each conversation with its messages, cases (contact details, staff notes) and the
    questions copied to the content inbox."""
    held = []
    for conversation in session.scalars(select(Conversation).where(
            Conversation.id.in_(list(ids))).order_by(Conversation.created_at)):
        cases = session.scalars(select(Escalation).where(
            Escalation.conversation_id == conversation.id).order_by(Escalation.id)).all()
        held.append({
            "conversation_id": conversation.id, "started": _at(conversation.created_at),
            "last_activity": _at(conversation.updated_at), "state": conversation.state,
            "messages": [{"at": _at(m.created_at), "from": m.sender, "text": m.text}
                         for m in session.scalars(select(Message).where(
                             Message.conversation_id == conversation.id).order_by(Message.id))],
            "cases": [_case(session, case) for case in cases],
            "inbox_questions": [{"at": _at(i.received_at), "text": i.text, "status": i.status}
                                for i in session.scalars(select(InboxItem).where(
                                    InboxItem.conversation_id == conversation.id))],
        })
    return held


def _case(session: Session, case: Escalation) -> dict:
    return {"opened": _at(case.opened_at), "kind": case.kind, "topic": case.topic,
            "status": case.status, "summary": case.summary, "closed": _at(case.closed_at),
            **{field: getattr(case, field) for field in CONTACT_FIELDS},
            "staff_notes": [{"at": _at(n.created_at), "text": n.text} for n in session.scalars(
                select(Note).where(Note.escalation_id == case.id).order_by(Note.id))]}


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
