"""The audit log as admins read it (the latest entries, newest first, with who did each), and
recording what a member of staff did outside the case actions (content changes)."""

from __future__ import annotations

from bot.web.data import staff as staff_data
from bot.web.runtime import Runtime
from bot.web.services.staff_auth import SignedIn


def record(rt: Runtime, user: SignedIn, action: str, **detail) -> None:
    with rt.transaction() as session:
        staff_data.record(session, rt.clock.now(), action, staff_id=user.id, **detail)


def latest(rt: Runtime) -> dict:
    with rt.transaction() as session:
        rows = staff_data.audit_entries(session)
        return {"entries": [
            {"id": e.id, "at": e.at.isoformat() + "Z", "staff": name, "action": e.action,
             "escalation_id": e.escalation_id, "conversation_id": e.conversation_id,
             "detail": e.detail} for e, name in rows]}
