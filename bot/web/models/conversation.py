"""Residents' conversations and every message in them, in the order they happened."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, String, Text

from bot.db import Base, BigId

STATES = ("bot", "waiting_for_staff", "with_staff", "closed")
SENDERS = ("resident", "bot", "staff", "system")


class Conversation(Base):
    __tablename__ = "conversations"

    id = Column(String(32), primary_key=True)
    token_hash = Column(String(64), nullable=False)
    state = Column(String(20), nullable=False, default="bot")
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    # Set when a hand-back could not reach Rasa; the resume is retried before the next message.
    rasa_resume_pending = Column(Boolean, nullable=False, default=False)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id = Column(BigId, primary_key=True, autoincrement=True)
    conversation_id = Column(
        String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
    )
    sender = Column(String(10), nullable=False)
    text = Column(Text, nullable=False, default="")
    buttons = Column(JSON, nullable=False, default=list)
    # "contact" asks the widget to show the call-back contact form under this message.
    form = Column(String(20), nullable=True)
    staff_id = Column(BigId, ForeignKey("staff_users.id"), nullable=True)
    created_at = Column(DateTime, nullable=False)


class HeldMessage(Base):
    """A resident's message waiting for Rasa to load or restart, until a gateway answers it.

    In the database, not in a gateway's memory, so a gateway that restarts, or its other
    replica, still answers it. Deleted with its message.
    """

    __tablename__ = "held_messages"

    message_id = Column(BigId, ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    conversation_id = Column(
        String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )
    # What Rasa is sent: the typed text, or the payload of the button pressed.
    rasa_text = Column(Text, nullable=False)
    held_at = Column(DateTime, nullable=False)
    # Set while a gateway is answering it; a claim older than the lease is taken over.
    claimed_at = Column(DateTime, nullable=True)
