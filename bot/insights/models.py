"""The analytics event table: one row per thing that happened, ids and categories only."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, SmallInteger, String, Text

from bot.db import Base, BigId


class InsightEvent(Base):
    """`kind` is one of catalogue.KINDS; `name`, `detail` and `value` mean what the catalogue
    says for that kind. `local_day`, `hour_of_week` (0 = Monday 00:00, UK time) and `in_hours`
    are fixed when the event is written, so every query is plain grouping on both SQLite and
    PostgreSQL."""

    __tablename__ = "insight_events"
    __table_args__ = (
        Index("ix_insight_events_kind_day", "kind", "local_day"),
        Index("ix_insight_events_conversation", "conversation_id"),
        Index("ix_insight_events_at", "at"),
    )

    id = Column(BigId, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False)
    local_day = Column(Date, nullable=False)
    hour_of_week = Column(SmallInteger, nullable=False)
    in_hours = Column(Boolean, nullable=False)
    kind = Column(String(30), nullable=False)
    conversation_id = Column(String(32), nullable=True)
    service = Column(String(20), nullable=False, default="general")
    channel = Column(String(20), nullable=False, default="web")
    name = Column(String(80), nullable=True)
    detail = Column(String(40), nullable=True)
    value = Column(Integer, nullable=True)


class RatingComment(Base):
    """The optional comment with a resident's rating, redacted like the content inbox before it
    is stored. The rating itself is an `InsightEvent` (kind "rating")."""

    __tablename__ = "insight_comments"

    id = Column(BigId, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    conversation_id = Column(String(32), nullable=False, unique=True)
    score = Column(SmallInteger, nullable=False)
    text = Column(Text, nullable=False)
