"""Queries on conversations and their messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.web.models import Conversation, Message, StaffUser


def create_conversation(session: Session, conversation_id: str, token_hash: str,
                        now: datetime) -> Conversation:
    conversation = Conversation(id=conversation_id, token_hash=token_hash, state="bot",
                                created_at=now, updated_at=now, rasa_resume_pending=False)
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(session: Session, conversation_id: str, *,
                     for_update: bool = False) -> Conversation | None:
    query = select(Conversation).where(Conversation.id == conversation_id)
    if for_update:
        query = query.with_for_update()  # serialises state changes on PostgreSQL
        if session.get_bind().dialect.name == "sqlite":
            # SQLite ignores FOR UPDATE: a write first takes the database's write lock before
            # the read, so a concurrent check-then-change waits (busy_timeout) and then sees
            # this one's outcome instead of both acting on the same old state.
            session.execute(update(Conversation).where(Conversation.id == conversation_id)
                            .values(updated_at=Conversation.updated_at))
    return session.execute(query).scalar_one_or_none()


def set_state(session: Session, conversation: Conversation, state: str, now: datetime) -> None:
    conversation.state = state
    conversation.updated_at = now


def add_message(session: Session, conversation_id: str, sender: str, text: str, now: datetime,
                *, buttons: list | None = None, form: str | None = None,
                staff_id: int | None = None) -> Message:
    message = Message(conversation_id=conversation_id, sender=sender, text=text,
                      buttons=buttons or [], form=form, staff_id=staff_id, created_at=now)
    session.add(message)
    session.flush()
    return message


def latest_offered_payloads(session: Session, conversation_id: str) -> set[str] | None:
    """The payloads of the buttons the assistant or the gateway offered since the resident's
    last message; None before the resident's first message."""
    last_resident = session.scalar(select(func.max(Message.id)).where(
        Message.conversation_id == conversation_id, Message.sender == "resident"))
    if last_resident is None:
        return None
    rows = session.scalars(select(Message.buttons).where(
        Message.conversation_id == conversation_id, Message.id > last_resident,
        Message.sender.in_(("bot", "system"))))
    return {str(b["payload"]).strip() for buttons in rows for b in buttons or []
            if isinstance(b, dict) and b.get("payload")}


def redact_recent(session: Session, conversation_id: str, resident_messages: int,
                  reason: str) -> list[int]:
    """Blank the last `resident_messages` resident messages and the bot's replies among them.

    Each becomes `[reason]`; returns the ids of the resident messages blanked.
    """
    if resident_messages <= 0:
        return []
    first_id = session.scalar(
        select(Message.id)
        .where(Message.conversation_id == conversation_id, Message.sender == "resident")
        .order_by(Message.id.desc())
        .offset(resident_messages - 1)
        .limit(1)
    )
    if first_id is None:  # fewer messages than asked: redact them all
        first_id = 0
    in_range = (Message.conversation_id == conversation_id, Message.id >= first_id)
    blanked = list(session.scalars(
        select(Message.id).where(*in_range, Message.sender == "resident")).all())
    session.execute(
        update(Message)
        .where(*in_range, Message.sender.in_(("resident", "bot")))
        .values(text=f"[{reason}]", buttons=[])
    )
    return blanked


def is_redacted(message: Message) -> bool:
    """A message `redact_recent` blanked. Text a resident typed wholly in [brackets] looks
    the same, and is treated the same: better to miss it than copy a redacted report."""
    text = message.text or ""
    return text.startswith("[") and text.endswith("]")


def get_message(session: Session, conversation_id: str, message_id: int) -> Message | None:
    return session.scalar(select(Message).where(
        Message.conversation_id == conversation_id, Message.id == message_id))


def resident_message_before(session: Session, conversation_id: str,
                            message_id: int) -> Message | None:
    """The resident's last message before `message_id`: the one a bot reply answered."""
    return session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.sender == "resident",
               Message.id < message_id)
        .order_by(Message.id.desc())
        .limit(1)
    )


def messages_after(session: Session, conversation_id: str, after_id: int = 0,
                   limit: int = 500) -> list[tuple[Message, str | None]]:
    """Messages with ids above `after_id`, oldest first, each with its staff author's name."""
    query = (
        select(Message, StaffUser.display_name)
        .outerjoin(StaffUser, StaffUser.id == Message.staff_id)
        .where(Message.conversation_id == conversation_id, Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    )
    return [(m, name) for m, name in session.execute(query).all()]
