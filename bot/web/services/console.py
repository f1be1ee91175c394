"""What agents do with escalations: queue, claim, reply, notes, transfer, hand back, resolve.

Every action is written to the audit log in the same transaction as the change it records.
"""

from __future__ import annotations

from bot.insights import hooks as insights
from bot.insights.sla import over_target
from bot.payment_details import remove_payment_details
from bot.web.data import conversations as conv_data
from bot.web.data import escalations as esc_data
from bot.web.data import staff as staff_data
from bot.web.errors import Problem, not_found
from bot.web.events import QUEUE_TOPIC, conversation_topic
from bot.web.models import Escalation
from bot.web.rasa import RasaUnavailable
from bot.web.runtime import Runtime
from bot.web.services.masking import mask_secrets
from bot.web.services.presenters import conversation_or_404, first_name, message_json
from bot.web.services.staff_auth import SignedIn

OUTCOMES = {
    "answered": "Answered in the chat",
    "called_back": "Called or emailed the resident back",
    "referred": "Referred to a service team",
    "no_response": "Resident did not respond",
    "duplicate": "Duplicate of another case",
}
HANDED_BACK = "You're back with the automated assistant. Is there anything else I can help with?"


def escalation_json(e: Escalation, *, now, staff_names: dict[int, str] | None = None) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": e.id, "conversation_id": e.conversation_id, "kind": e.kind, "status": e.status,
        "topic": e.topic, "summary": mask_secrets(e.summary), "priority": e.priority,
        "safeguarding": e.safeguarding, "references": e.references, "verified": e.verified,
        "opened_at": e.opened_at.isoformat() + "Z",
        "waiting_seconds": int((now - e.opened_at).total_seconds()),
        "claimed_by": e.claimed_by,
        "claimed_by_name": (staff_names or {}).get(e.claimed_by) if e.claimed_by else None,
        "outcome": e.outcome, "has_contact": bool(e.contact_phone or e.contact_email),
        "callback_due": e.callback_due.isoformat() + "Z" if e.callback_due else None,
    }


def queue(rt: Runtime, user: SignedIn) -> dict:
    now = rt.clock.now()
    with rt.transaction() as session:
        waiting = esc_data.waiting_queue(session)
        mine = esc_data.claimed_by(session, user.id)
        return {
            "waiting": [_with_target(rt, e, now) for e in waiting],
            "mine": [_with_target(rt, e, now) for e in mine],
        }


def _with_target(rt: Runtime, e: Escalation, now) -> dict:  # type: ignore[no-untyped-def]
    """The queue flags a case past its first-reply target (or a call-back past due)."""
    return {**escalation_json(e, now=now), "over_target": over_target(rt.settings, e, now)}


def case(rt: Runtime, user: SignedIn, escalation_id: int, viewed_via: str = "") -> dict:
    """Everything an agent sees on one case: transcript (masked), notes, contact details.

    `viewed_via` (page, json, stream) records the view in the audit log: a case holds a
    resident's contact details and words."""
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _get(session, escalation_id)
        if viewed_via:
            staff_data.record(session, now, "case_viewed", staff_id=user.id, escalation_id=e.id,
                              conversation_id=e.conversation_id, via=viewed_via)
        conversation = conversation_or_404(session, e.conversation_id)
        agents = staff_data.users_with_roles(session, ("agent", "admin"))
        names = {a.id: a.display_name for a in agents}
        rows = conv_data.messages_after(session, e.conversation_id, 0, limit=5000)
        return {
            "escalation": escalation_json(e, now=now, staff_names=names),
            "state": conversation.state,
            "mine": e.claimed_by == user.id and e.status == "claimed",
            "contact": {"name": e.contact_name, "phone": e.contact_phone,
                        "email": e.contact_email, "best_time": e.contact_best_time},
            "messages": [message_json(m, a, masked=True) for m, a in rows],
            "notes": [{"id": n.id, "author": a, "text": mask_secrets(n.text),
                       "created_at": n.created_at.isoformat() + "Z"}
                      for n, a in esc_data.notes_of(session, e.id)],
            "agents": [{"id": a.id, "name": a.display_name} for a in agents if a.id != user.id],
            "saved_replies": [{"id": r.id, "title": r.title, "text": r.text}
                              for r in staff_data.saved_replies(session)],
            "outcomes": OUTCOMES,
        }


def claim(rt: Runtime, user: SignedIn, escalation_id: int) -> None:
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _get(session, escalation_id)
        if not esc_data.claim(session, escalation_id, user.id, now):
            raise Problem(409, "already_claimed", "Someone else has already taken this case.")
        conversation = conversation_or_404(session, e.conversation_id, for_update=True)
        if conversation.state != "closed":
            conv_data.set_state(session, conversation, "with_staff", now)
            text = f"{first_name(user.display_name)} from the council has joined the chat."
            conv_data.add_message(session, conversation.id, "system", text, now)
        staff_data.record(session, now, "claim", staff_id=user.id, escalation_id=e.id,
                          conversation_id=e.conversation_id)
    _poke(rt, e.conversation_id)


def reply(rt: Runtime, user: SignedIn, escalation_id: int, text: str) -> dict:
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _mine(session, user, escalation_id)
        conversation = conversation_or_404(session, e.conversation_id)
        if conversation.state == "closed":
            raise Problem(409, "conversation_closed", "The resident has ended this chat.")
        message = conv_data.add_message(session, e.conversation_id, "staff",
                                        remove_payment_details(text), now, staff_id=user.id)
        staff_data.record(session, now, "reply", staff_id=user.id, escalation_id=e.id,
                          conversation_id=e.conversation_id, message_id=message.id)
        insights.staff_replied(rt, session, e)
        result = message_json(message, user.display_name, masked=True)
    _poke(rt, e.conversation_id, queue=False)
    return result


def note(rt: Runtime, user: SignedIn, escalation_id: int, text: str) -> None:
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _get(session, escalation_id)
        created = esc_data.add_note(session, e.id, user.id, remove_payment_details(text), now)
        staff_data.record(session, now, "note", staff_id=user.id, escalation_id=e.id,
                          note_id=created.id)


def transfer(rt: Runtime, user: SignedIn, escalation_id: int, to_staff_id: int) -> None:
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _mine(session, user, escalation_id)
        target = staff_data.get_user(session, to_staff_id)
        if target is None or not target.active or target.role not in ("agent", "admin"):
            raise Problem(422, "validation_error", "to_staff_id: choose an active agent")
        e.claimed_by, e.claimed_at = target.id, now
        text = f"{first_name(target.display_name)} from the council is taking over this chat."
        conv_data.add_message(session, e.conversation_id, "system", text, now)
        staff_data.record(session, now, "transfer", staff_id=user.id, escalation_id=e.id,
                          conversation_id=e.conversation_id, to_staff_id=target.id)
    _poke(rt, e.conversation_id)


def hand_back(rt: Runtime, user: SignedIn, escalation_id: int) -> None:
    """Return the resident to the assistant; if Rasa is down the resume is retried later."""
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _mine(session, user, escalation_id)
        conversation = conversation_or_404(session, e.conversation_id, for_update=True)
        e.status, e.closed_at, e.outcome = "handed_back", now, "handed_back"
        conv_data.set_state(session, conversation, "bot", now)
        conversation.rasa_resume_pending = True
        conv_data.add_message(session, conversation.id, "system", HANDED_BACK, now)
        staff_data.record(session, now, "hand_back", staff_id=user.id, escalation_id=e.id,
                          conversation_id=e.conversation_id)
        insights.resolved(rt, session, e, "handed_back")
    try:
        rt.rasa.resume(e.conversation_id)
    except RasaUnavailable:
        pass  # rasa_resume_pending stays set; the resident's next message resumes first.
    else:
        with rt.transaction() as session:
            conversation = conversation_or_404(session, e.conversation_id)
            conversation.rasa_resume_pending = False
    _poke(rt, e.conversation_id)


def resolve(rt: Runtime, user: SignedIn, escalation_id: int, outcome: str) -> None:
    if outcome not in OUTCOMES:
        raise Problem(422, "validation_error", f"outcome: one of {', '.join(OUTCOMES)}")
    now = rt.clock.now()
    with rt.transaction() as session:
        e = _mine(session, user, escalation_id)
        e.status, e.closed_at, e.outcome = "resolved", now, outcome
        conversation = conversation_or_404(session, e.conversation_id, for_update=True)
        if conversation.state != "closed":
            conv_data.set_state(session, conversation, "closed", now)
            text = "This chat has ended. Thank you for contacting Anytown Borough Council."
            conv_data.add_message(session, conversation.id, "system", text, now)
        staff_data.record(session, now, "resolve", staff_id=user.id, escalation_id=e.id,
                          conversation_id=e.conversation_id, outcome=outcome)
        insights.resolved(rt, session, e, outcome)
    _poke(rt, e.conversation_id)


def _get(session, escalation_id: int) -> Escalation:  # type: ignore[no-untyped-def]
    e = esc_data.get_escalation(session, escalation_id)
    if e is None:
        raise not_found("escalation")
    return e


def _mine(session, user: SignedIn, escalation_id: int) -> Escalation:  # type: ignore[no-untyped-def]
    e = _get(session, escalation_id)
    if e.status != "claimed" or (e.claimed_by != user.id and user.role != "admin"):
        raise Problem(409, "not_yours", "Claim this case before acting on it.")
    return e


def _poke(rt: Runtime, conversation_id: str, *, queue: bool = True) -> None:
    rt.broker.publish(conversation_topic(conversation_id))
    if queue:
        rt.broker.publish(QUEUE_TOPIC)
