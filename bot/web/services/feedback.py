"""Residents marking an assistant's answer as not helpful, for the content editors' inbox."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.content import inbox
from bot.insights import hooks as insights
from bot.web.data import conversations as conv_data
from bot.web.errors import Problem, not_found
from bot.web.runtime import Runtime


def source_key(resident_message_id: int) -> str:
    # Keyed by the question, so every bubble of one answer, pressed or replayed, counts once.
    return f"unhelpful:message:{resident_message_id}"


def mark_unhelpful(rt: Runtime, conversation_id: str, message_id: int) -> dict:
    """Put the resident's question that this bot reply answered into the inbox, once.

    Questions blanked by a report's redaction are never copied, and a refused id changes
    nothing.
    """
    with rt.transaction() as session:
        answer = conv_data.get_message(session, conversation_id, message_id)
        if answer is None:
            raise not_found("message")
        if answer.sender != "bot":
            raise Problem(422, "not_an_answer",
                          "Only the assistant's answers can be marked as not helpful.")
        question = conv_data.resident_message_before(session, conversation_id, message_id)
        recorded = False
        if question is not None and not conv_data.is_redacted(question):
            try:
                with session.begin_nested():
                    recorded = inbox.record(session, question.text, "unhelpful",
                                            conversation_id, source_key(question.id)) is not None
            except IntegrityError:  # the same press arriving twice at once
                recorded = False
        if recorded:
            insights.unhelpful(rt, session, conversation_id)
    return {"message_id": str(message_id), "recorded": recorded}


def forget(session: Session, resident_message_ids: Sequence[int]) -> None:
    """Take redacted questions back out of the inbox, if they were marked before redaction."""
    inbox.forget(session, [source_key(i) for i in resident_message_ids])
