"""The resident's side of a conversation: the state machine that routes each message.

`bot` -> Rasa answers; a handoff payload opens an escalation (`waiting_for_staff`).
`waiting_for_staff` / `with_staff` -> the message is kept for staff; Rasa never sees it.
`closed` -> nothing more is accepted. The resident's message is committed before Rasa is
called, so nothing they typed is lost if Rasa fails; while Rasa is loading its model or being
restarted the message is held (services/held.py) and answered over the stream once Rasa is
back. Every turn ends with something the resident can read: a turn Rasa answers with nothing
(its action server down or too slow) or cannot finish gets an apology and a call-back offer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from actions.common.payloads import Handoff, Redact
from bot.insights import hooks as insights
from bot.payment_details import remove_payment_details
from bot.web.data import conversations as conv_data
from bot.web.data import escalations as esc_data
from bot.web.data import staff as staff_data
from bot.web.errors import Problem, not_found
from bot.web.events import QUEUE_TOPIC, conversation_topic
from bot.web.rasa import RasaRestarting, RasaStarting, RasaUnavailable
from bot.web.runtime import Runtime
from bot.web.services import feedback, office_hours
from bot.web.services.handoff import CONTACT_FORM, escalate, parse_handoff
from bot.web.services.payloads import CALLBACK_PAYLOAD, is_offered
from bot.web.services.presenters import clean_buttons, conversation_or_404, message_json

# A redaction asking for more than this is not a journey's worth: it is ignored.
MAX_REDACTED_MESSAGES = 200
APOLOGY = ("Sorry, the assistant isn't working at the moment. Your message has been kept. "
           "You can try again in a few minutes, or leave your contact details and someone "
           "from the council will get back to you.")
STARTING = ("The assistant is starting, your message will be answered in a moment.")
RESTARTING = ("Sorry, the assistant is restarting. Your message has been kept and will be "
              "answered in a moment.")
# Rasa answered with nothing: one of its actions failed (the action server down or too slow).
INCOMPLETE = ("Sorry, I couldn't finish answering that because part of the council's system "
              "isn't responding. Your message has been kept. You can try again in a few "
              "minutes, or leave your contact details and someone from the council will get "
              "back to you.")
# A held message whose answer never came: the resident must know it was not answered.
NOT_ANSWERED = ("Sorry, the assistant is still not working, so your message has not been "
                "answered. You can try again later, or leave your contact details and someone "
                "from the council will get back to you.")
CALLBACK_BUTTON = {"title": "Leave my contact details", "payload": CALLBACK_PAYLOAD}
# Compared against when a conversation does not exist, so both paths take the same time.
_DUMMY_HASH = hashlib.sha256(b"no such conversation").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_conversation(rt: Runtime) -> dict:
    conversation_id = secrets.token_hex(16)
    token = secrets.token_urlsafe(32)
    with rt.transaction() as session:
        conv_data.create_conversation(session, conversation_id, hash_token(token), rt.clock.now())
        insights.conversation_started(rt, session, conversation_id)
    return {"conversation_id": conversation_id, "token": token, "state": "bot"}


def authorise(rt: Runtime, conversation_id: str, token: str) -> None:
    """404 unless the token opens this conversation; constant time either way."""
    with rt.transaction() as session:
        conversation = conv_data.get_conversation(session, conversation_id)
        expected = conversation.token_hash if conversation else _DUMMY_HASH
    if not hmac.compare_digest(hash_token(token), expected) or conversation is None:
        raise not_found()


def history(rt: Runtime, conversation_id: str, after: int = 0) -> dict:
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id)
        rows = conv_data.messages_after(session, conversation_id, after)
        return {"messages": [message_json(m, a) for m, a in rows], "state": conversation.state,
                **_assistant(rt, conversation_id)}


def post_message(rt: Runtime, conversation_id: str, text: str, payload: str | None) -> dict:
    """Store the resident's message, route it by state, and return what came back.

    Card numbers and bank details are taken out first: neither the transcript nor Rasa's
    tracker keeps them. A payload the chat did not just offer is dropped, and the message goes
    on as the button's text (services/payloads.py).
    """
    text = remove_payment_details(text)
    if payload is not None and not is_offered(rt, conversation_id, payload):
        payload = None
    now = rt.clock.now()
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id, for_update=True)
        if conversation.state == "closed":
            raise Problem(409, "conversation_closed", "This chat has ended. Start a new one.")
        received = conv_data.add_message(session, conversation_id, "resident", text, now)
        insights.resident_message(rt, session, conversation_id, payload)
        received_id, state = received.id, conversation.state
        resume_pending = conversation.rasa_resume_pending
        if payload == CALLBACK_PAYLOAD:
            escalate(rt, session, conversation, parse_handoff({
                "topic": "general", "summary": "The resident asked to be contacted."}),
                callback_only=True)
    _poke(rt, conversation_id, queue=state != "bot" or payload == CALLBACK_PAYLOAD)
    if state == "bot" and payload != CALLBACK_PAYLOAD:
        _ask_rasa(rt, conversation_id, received_id, payload or as_typed_text(text),
                  resume_pending)
    return _replies_after(rt, conversation_id, received_id)


def as_typed_text(text: str) -> str:
    """What a resident typed, never read as a command: Rasa takes a message that starts with
    "/" as an intent with entities. A what3words address ("///filled.count.soap") is still
    recognised without its slashes."""
    return text.lstrip("/ ") or "?"


def _ask_rasa(rt: Runtime, conversation_id: str, message_id: int, message: str,
              resume_pending: bool) -> None:
    if rt.held.holding(conversation_id):
        _hold(rt, conversation_id, message_id, message)  # behind the earlier ones, in order
        return
    try:
        replies = _call_rasa(rt, conversation_id, message, resume_pending)
    except RasaStarting as exc:
        # Said before holding, so it never follows the answer.
        if isinstance(exc, RasaRestarting):
            _apologise(rt, conversation_id, RESTARTING)  # may take a while: offer a call-back
        else:
            _say(rt, conversation_id, STARTING)
        _hold(rt, conversation_id, message_id, message)
        return
    except RasaUnavailable:
        _apologise(rt, conversation_id)
        return
    _store_replies(rt, conversation_id, replies, resume_pending, message)


def _call_rasa(rt: Runtime, conversation_id: str, message: str,
               resume_pending: bool) -> list[dict]:
    if resume_pending:
        rt.rasa.resume(conversation_id)
    return rt.rasa.send(conversation_id, message)


def _hold(rt: Runtime, conversation_id: str, message_id: int, message: str) -> None:
    rt.held.hold(rt.rasa, conversation_id, message_id, message, *_held_callbacks(rt))


def answer_held_messages(rt: Runtime) -> None:
    """At start-up: answer what was held when this gateway, or a replica, last stopped."""
    rt.held.resume(rt.rasa, *_held_callbacks(rt))


def _held_callbacks(rt: Runtime) -> tuple:
    return (lambda cid, text: _answer_held(rt, cid, text),
            lambda cid: _apologise(rt, cid, NOT_ANSWERED))


def _answer_held(rt: Runtime, conversation_id: str, message: str) -> None:
    """Rasa is ready: answer a held message, unless the chat moved on (ended, or staff)."""
    with rt.transaction() as session:
        conversation = conv_data.get_conversation(session, conversation_id)
        if conversation is None or conversation.state != "bot":
            return
        resume_pending = conversation.rasa_resume_pending
    try:
        replies = _call_rasa(rt, conversation_id, message, resume_pending)
    except RasaStarting:
        raise
    except RasaUnavailable:
        _apologise(rt, conversation_id)
        return
    _store_replies(rt, conversation_id, replies, resume_pending, message)


def _apologise(rt: Runtime, conversation_id: str, text: str = APOLOGY) -> None:
    _say(rt, conversation_id, text, buttons=[CALLBACK_BUTTON])


def _say(rt: Runtime, conversation_id: str, text: str, buttons: list[dict] | None = None) -> None:
    with rt.transaction() as session:
        conv_data.add_message(session, conversation_id, "system", text, rt.clock.now(),
                              buttons=buttons or [])
    _poke(rt, conversation_id)


def _store_replies(rt: Runtime, conversation_id: str, replies: list[dict],
                   resume_pending: bool, message: str = "") -> None:
    escalated = answered = False
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id, for_update=True)
        insights.rasa_turn(rt, session, conversation_id, insights.turn_of(replies), message)
        if resume_pending:
            conversation.rasa_resume_pending = False
        for reply in replies:
            redact = Redact.from_custom(reply.get("custom"))
            if redact is not None:
                _redact(session, conversation_id, redact)
        for reply in replies:
            raw_custom = reply.get("custom")
            custom: dict = raw_custom if isinstance(raw_custom, dict) else {}
            handoff = Handoff.from_custom(custom)
            if handoff is not None and conversation.state == "bot":
                escalate(rt, session, conversation, handoff.to_dict())
                escalated = True
                continue
            if Redact.KEY in custom:
                continue  # applied above, before this turn's replies were stored
            text = reply.get("text") or custom.get("text") or ""
            buttons = clean_buttons(reply.get("buttons"))
            if text or buttons:
                conv_data.add_message(session, conversation_id, "bot", str(text),
                                      rt.clock.now(), buttons=buttons)
                answered = True
        if not (answered or escalated) and conversation.state == "bot":
            conv_data.add_message(session, conversation_id, "system", INCOMPLETE,
                                  rt.clock.now(), buttons=[CALLBACK_BUTTON])
    _poke(rt, conversation_id, queue=escalated)


def _redact(session: Session, conversation_id: str, redact: Redact) -> None:
    """Rasa asked to remove personal details the resident typed for a completed report."""
    if redact.transcript and redact.resident_messages <= MAX_REDACTED_MESSAGES:
        blanked = conv_data.redact_recent(session, conversation_id, redact.resident_messages,
                                          redact.reason)
        feedback.forget(session, blanked)


def _replies_after(rt: Runtime, conversation_id: str, received_id: int) -> dict:
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id)
        rows = conv_data.messages_after(session, conversation_id, received_id)
        messages = [message_json(m, a) for m, a in rows if m.sender != "resident"]
        return {"messages": messages, "state": conversation.state,
                "received": {"id": str(received_id)}, **_assistant(rt, conversation_id)}


def _assistant(rt: Runtime, conversation_id: str) -> dict:
    """`"assistant": "starting"` while this conversation's messages wait for Rasa to load."""
    return {"assistant": "starting"} if rt.held.holding(conversation_id) else {}


def leave_contact_details(rt: Runtime, conversation_id: str, details: dict) -> dict:
    """Turn the conversation's escalation into a call-back task with the resident's details."""
    now = rt.clock.now()
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id, for_update=True)
        if conversation.state == "closed":
            raise Problem(409, "conversation_closed", "This chat has ended. Start a new one.")
        escalation = esc_data.open_escalation_of(session, conversation_id)
        if escalation is None:
            escalation = escalate(rt, session, conversation, parse_handoff({
                "topic": "general", "summary": "The resident asked to be contacted."}),
                callback_only=True)
        escalation.kind = "callback"
        for key in ("name", "phone", "email", "best_time"):
            value = details.get(key) or None
            if value and key in ("name", "best_time"):  # free text: a card number typed there
                value = remove_payment_details(value)
            setattr(escalation, f"contact_{key}", value)
        staff_data.record(session, now, "contact_details_left", escalation_id=escalation.id,
                          conversation_id=conversation_id)
        text = "Thank you. We've got your contact details and someone will get back to you."
        if escalation.callback_due:
            due = rt.clock.local(escalation.callback_due)
            text += f" We'll be in touch by {office_hours.describe_moment(due)}."
        message = conv_data.add_message(session, conversation_id, "system", text, now)
        result = {"messages": [message_json(message)], "state": conversation.state}
    _poke(rt, conversation_id, queue=True)
    return result


def end_chat(rt: Runtime, conversation_id: str) -> dict:
    """The resident ended the chat. A call-back with contact details stays in the queue."""
    now = rt.clock.now()
    with rt.transaction() as session:
        conversation = conversation_or_404(session, conversation_id, for_update=True)
        escalation = esc_data.open_escalation_of(session, conversation_id)
        keep = escalation is not None and escalation.kind == "callback" and (
            escalation.contact_phone or escalation.contact_email)
        if escalation is not None and not keep:
            escalation.status, escalation.outcome, escalation.closed_at = (
                "resolved", "resident_left", now)
            staff_data.record(session, now, "resident_left", escalation_id=escalation.id,
                              conversation_id=conversation_id)
        if conversation.state != "closed":
            conv_data.set_state(session, conversation, "closed", now)
            conv_data.add_message(session, conversation_id, "system", "You ended the chat.", now)
    _poke(rt, conversation_id, queue=escalation is not None)
    return history(rt, conversation_id)


def _poke(rt: Runtime, conversation_id: str, *, queue: bool = False) -> None:
    rt.broker.publish(conversation_topic(conversation_id))
    if queue:
        rt.broker.publish(QUEUE_TOPIC)


__all__ = ["CALLBACK_PAYLOAD", "CONTACT_FORM", "authorise", "end_chat", "history",
           "leave_contact_details", "post_message", "start_conversation"]
