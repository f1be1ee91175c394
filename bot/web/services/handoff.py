"""Opens escalations from Rasa's handoff payload or a resident's call-back request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from actions.common.payloads import Handoff
from bot.insights import hooks as insights
from bot.web.data import conversations as conv_data
from bot.web.data import escalations as esc_data
from bot.web.data import staff as staff_data
from bot.web.models import Conversation, Escalation
from bot.web.runtime import Runtime
from bot.web.services import office_hours

CONTACT_FORM = "contact"


def parse_handoff(raw: Any) -> dict:
    """Accept Rasa's payload defensively: unknown keys dropped, odd values made safe."""
    return Handoff.from_dict(raw).to_dict()


def staff_available(rt: Runtime, session: Session) -> bool:
    now = rt.clock.now()
    if not office_hours.is_open(rt.settings, rt.clock.local(now)):
        return False
    since = now - timedelta(minutes=rt.settings.agent_presence_minutes)
    return staff_data.agents_present_since(session, since) > 0


def escalate(rt: Runtime, session: Session, conversation: Conversation, fields: dict,
             *, callback_only: bool = False) -> Escalation:
    """Open (or reuse) the conversation's escalation and tell the resident what happens next."""
    now = rt.clock.now()
    live = not callback_only and staff_available(rt, session)
    escalation = esc_data.open_escalation_of(session, conversation.id)
    if escalation is None:
        escalation = esc_data.open_escalation(
            session, conversation_id=conversation.id, opened_at=now,
            kind="live" if live else "callback", **fields,
        )
        staff_data.record(session, now, "escalation_opened", escalation_id=escalation.id,
                          conversation_id=conversation.id, kind=escalation.kind,
                          priority=escalation.priority, safeguarding=escalation.safeguarding)
        insights.escalated(rt, session, escalation)
    elif not live:
        escalation.kind = "callback"
    if escalation.status == "waiting":
        conv_data.set_state(session, conversation, "waiting_for_staff", now)
    if escalation.kind == "live":
        place = esc_data.position_in_queue(session, escalation)
        text = (f"I've passed your conversation to our team. You're number {place} in the "
                "queue and an adviser will join this chat shortly. Please keep this window open.")
        conv_data.add_message(session, conversation.id, "system", text, now)
    else:
        ask_for_contact(rt, session, conversation.id, escalation)
    return escalation


def ask_for_contact(rt: Runtime, session: Session, conversation_id: str,
                    escalation: Escalation) -> None:
    now = rt.clock.now()
    due = office_hours.callback_due(rt.settings, rt.clock.local(now))
    escalation.callback_due = rt.clock.to_utc(due)
    hours = office_hours.describe_hours(rt.settings)
    text = ("Nobody from our team can chat right now (we're available "
            f"{hours}, except bank holidays). Leave your name and a phone number or email "
            f"address and we'll contact you by {office_hours.describe_moment(due)}.")
    conv_data.add_message(session, conversation_id, "system", text, now, form=CONTACT_FORM)
