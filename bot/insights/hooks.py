"""Where the gateway tells insights what happened: one function per moment, called inside the
transaction that makes the change, so an event exists exactly when the change does.

Only names and categories are written. The resident's text is looked at once, here, to tell
an arrears conversation that mentions eviction; it is never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.insights import catalogue as cat
from bot.insights.models import InsightEvent
from bot.insights.record import record
from bot.rasa.turn_summary import TURN_KEY

if TYPE_CHECKING:
    from bot.web.models import Escalation
    from bot.web.runtime import Runtime


def _record(rt: Runtime, session: Session, kind: str, conversation_id: str | None,
            **fields: Any) -> None:
    record(session, rt.settings, rt.clock.now(), kind, conversation_id, **fields)


def turn_of(replies: list[dict]) -> dict | None:
    """The turn summary Rasa appended to its replies (bot/rasa/turn_summary.py), if any."""
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get(TURN_KEY), dict):
            return custom[TURN_KEY]
    return None


def conversation_started(rt: Runtime, session: Session, conversation_id: str) -> None:
    _record(rt, session, "conversation_started", conversation_id)


def resident_message(rt: Runtime, session: Session, conversation_id: str,
                     payload: str | None) -> None:
    intent = payload[1:].split("{")[0] if payload and payload.startswith("/") else None
    _record(rt, session, "message", conversation_id, service=cat.service_of_intent(intent))


def rasa_turn(rt: Runtime, session: Session, conversation_id: str, turn: dict | None,
              typed: str) -> None:
    """Intent, journey starts, steps and outcomes, fallbacks and prevention signals of a turn."""
    if not turn:
        return
    intent = str(turn.get("intent") or "") or None
    loop_before = turn.get("loop_before")
    started = [str(j) for j in turn.get("started") or [] if j in cat.JOURNEYS]
    journeys = [j for j in (loop_before, *started) if j in cat.JOURNEYS]
    service = cat.service_of_intent(intent)
    if service == "general" and journeys:
        service = cat.service_of_journey(journeys[0])  # an answer to a form's question
    actions = [str(a) for a in turn.get("actions") or []]
    if intent:
        _record(rt, session, "intent", conversation_id, service=service, name=intent)
    for journey in started:
        _record(rt, session, "journey_started", conversation_id,
                service=cat.service_of_journey(journey), name=journey)
    for step in turn.get("steps") or []:
        if isinstance(step, list) and len(step) == 2 and step[0] in cat.JOURNEYS:
            _record(rt, session, "journey_step", conversation_id,
                    service=cat.service_of_journey(step[0]), name=step[0], detail=str(step[1]))
    for journey in dict.fromkeys(journeys):
        if cat.JOURNEYS[journey][1] in actions:
            _record(rt, session, "journey_completed", conversation_id,
                    service=cat.service_of_journey(journey), name=journey)
    if intent in cat.FALLBACK_INTENTS or any(a in cat.FALLBACK_ACTIONS for a in actions):
        _record(rt, session, "fallback", conversation_id, service=service, name=intent)
    if intent in cat.PREVENTION_INTENTS:
        _record(rt, session, "prevention_signal", conversation_id, service="rough_sleeping",
                name=intent)
    elif intent in cat.ARREARS_INTENTS and any(w in typed.lower() for w in cat.EVICTION_WORDS):
        _record(rt, session, "prevention_signal", conversation_id, service="council_tax",
                name="arrears_eviction")


def escalated(rt: Runtime, session: Session, escalation: Escalation) -> None:
    _record(rt, session, "escalated", escalation.conversation_id,
            service=cat.service_of_topic(escalation.topic), name=escalation.topic,
            detail=escalation.priority, value=1 if escalation.safeguarding else 0)


def staff_replied(rt: Runtime, session: Session, escalation: Escalation) -> None:
    """The first staff reply since this escalation opened records the wait."""
    already = session.scalar(select(exists().where(
        InsightEvent.conversation_id == escalation.conversation_id,
        InsightEvent.kind == "staff_first_reply", InsightEvent.at >= escalation.opened_at)))
    if not already:
        waited = int((rt.clock.now() - escalation.opened_at).total_seconds())
        _record(rt, session, "staff_first_reply", escalation.conversation_id,
                service=cat.service_of_topic(escalation.topic), detail=escalation.kind,
                value=waited)


def resolved(rt: Runtime, session: Session, escalation: Escalation, outcome: str) -> None:
    start = escalation.claimed_at or escalation.opened_at
    _record(rt, session, "resolved", escalation.conversation_id,
            service=cat.service_of_topic(escalation.topic), detail=outcome,
            value=int((rt.clock.now() - start).total_seconds()))


def unhelpful(rt: Runtime, session: Session, conversation_id: str) -> None:
    _record(rt, session, "unhelpful", conversation_id)


def rated(rt: Runtime, session: Session, conversation_id: str, score: int, by: str) -> None:
    _record(rt, session, "rating", conversation_id, detail=by, value=score)
