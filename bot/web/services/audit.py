"""The audit log as admins read it: the latest entries, newest first, with who did each."""

from __future__ import annotations

from bot.web.data import staff as staff_data
from bot.web.runtime import Runtime


def latest(rt: Runtime) -> dict:
    with rt.transaction() as session:
        rows = staff_data.audit_entries(session)
        return {"entries": [
            {"id": e.id, "at": e.at.isoformat() + "Z", "staff": name, "action": e.action,
             "escalation_id": e.escalation_id, "conversation_id": e.conversation_id,
             "detail": e.detail} for e, name in rows]}
