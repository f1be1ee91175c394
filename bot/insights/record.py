"""Writing analytics events, in the caller's transaction, and deleting them for retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.http.clock import utc_to_london
from bot.insights.catalogue import KINDS, SERVICES
from bot.insights.models import InsightEvent, RatingComment
from bot.settings import Settings
from bot.web.services.office_hours import is_open


def hour_of_week(local: datetime) -> int:
    return local.weekday() * 24 + local.hour


def event_fields(settings: Settings, at: datetime, kind: str,
                 conversation_id: str | None = None, *, service: str = "general",
                 name: str | None = None, detail: str | None = None, value: int | None = None,
                 channel: str = "web") -> dict:
    """One event's columns at `at` (naive UTC). Names and details are categories, never text."""
    if kind not in KINDS:
        raise ValueError(f"unknown insight event kind: {kind}")
    local = utc_to_london(at)
    return {"at": at, "local_day": local.date(), "hour_of_week": hour_of_week(local),
            "in_hours": is_open(settings, local), "kind": kind,
            "conversation_id": conversation_id,
            "service": service if service in SERVICES else "general", "channel": channel,
            "name": (name or None) and name[:80], "detail": (detail or None) and detail[:40],
            "value": value}


def record(session: Session, settings: Settings, at: datetime, kind: str,
           conversation_id: str | None = None, **fields: Any) -> InsightEvent:
    """Add one event to the session (committed with the caller's change)."""
    event = InsightEvent(**event_fields(settings, at, kind, conversation_id, **fields))
    session.add(event)
    return event


def delete_older_than(session: Session, now: datetime, days: int) -> int:
    """Retention: delete events (and rating comments) from before `days` ago; returns how many
    events went. `settings.insights_retention_days` is the council's period."""
    cutoff = now - timedelta(days=days)
    session.execute(delete(RatingComment).where(RatingComment.at < cutoff))
    result = session.execute(delete(InsightEvent).where(InsightEvent.at < cutoff))
    return result.rowcount or 0


def delete_conversations(session: Session, conversation_ids: Sequence[str]) -> int:
    """Delete every event of these conversations (with the conversations themselves)."""
    if not conversation_ids:
        return 0
    session.execute(delete(RatingComment).where(
        RatingComment.conversation_id.in_(list(conversation_ids))))
    result = session.execute(delete(InsightEvent).where(
        InsightEvent.conversation_id.in_(list(conversation_ids))))
    return result.rowcount or 0
