"""The unanswered-questions inbox table, kept in the gateway's database (migration 0002)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, String, Text

from bot.db import Base, BigId

REASONS = ("fallback", "unhelpful")
STATUSES = ("new", "assigned", "dismissed")


class InboxItem(Base):
    """One message the assistant could not answer well, with personal data already removed."""

    __tablename__ = "content_inbox_items"

    id = Column(BigId, primary_key=True, autoincrement=True)
    text = Column(Text, nullable=False)  # redacted before it is stored; the original never is
    reason = Column(String(20), nullable=False)
    conversation_id = Column(String(64), nullable=True)
    # Where it came from (e.g. a Rasa tracker event), so importing twice adds nothing.
    source_key = Column(String(200), nullable=True, unique=True)
    status = Column(String(20), nullable=False, default="new")
    assigned_intent = Column(String(100), nullable=True)
    handled_by = Column(String(200), nullable=True)
    received_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    handled_at = Column(DateTime, nullable=True)

    __table_args__ = (Index("ix_content_inbox_items_status", "status", "received_at"),)
