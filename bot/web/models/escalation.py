"""Escalations to staff (live chats and call-back tasks) and agents' internal notes on them."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, String, Text

from bot.db import Base, BigId

KINDS = ("live", "callback")
STATUSES = ("waiting", "claimed", "handed_back", "resolved")
PRIORITIES = ("normal", "high", "urgent")


class Escalation(Base):
    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_status", "status"),)

    id = Column(BigId, primary_key=True, autoincrement=True)
    conversation_id = Column(
        String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
    )
    kind = Column(String(10), nullable=False, default="live")
    status = Column(String(12), nullable=False, default="waiting")
    topic = Column(String(60), nullable=False, default="general")
    summary = Column(Text, nullable=False, default="")
    priority = Column(String(10), nullable=False, default="normal")
    safeguarding = Column(Boolean, nullable=False, default=False)
    references = Column(JSON, nullable=False, default=dict)
    verified = Column(Boolean, nullable=False, default=False)
    opened_at = Column(DateTime, nullable=False)
    claimed_by = Column(BigId, ForeignKey("staff_users.id"), nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    closed_at = Column(DateTime, nullable=True)
    outcome = Column(String(40), nullable=True)
    contact_name = Column(String(120), nullable=True)
    contact_phone = Column(String(40), nullable=True)
    contact_email = Column(String(254), nullable=True)
    contact_best_time = Column(String(120), nullable=True)
    callback_due = Column(DateTime, nullable=True)


class Note(Base):
    __tablename__ = "notes"

    id = Column(BigId, primary_key=True, autoincrement=True)
    escalation_id = Column(
        BigId, ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    staff_id = Column(BigId, ForeignKey("staff_users.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
