"""First-response targets: when a waiting case is over its target, for the staff queue."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from bot.web.models import Escalation


def reply_target_minutes(settings: Settings, priority: str) -> int:
    if priority in ("high", "urgent"):
        return settings.insights_high_priority_reply_target_minutes
    return settings.insights_live_reply_target_minutes


def over_target(settings: Settings, escalation: Escalation, now: datetime) -> bool:
    """A live chat still waiting past its reply target, or a call-back past its due time."""
    if escalation.status != "waiting" and not (
            escalation.kind == "callback" and escalation.status == "claimed"):
        return False
    if escalation.kind == "callback":
        return escalation.callback_due is not None and escalation.callback_due < now
    waited = (now - escalation.opened_at).total_seconds()
    return waited > reply_target_minutes(settings, escalation.priority) * 60
