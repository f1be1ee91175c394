"""The resident's one-question rating at the end of a chat, with an optional comment."""

from __future__ import annotations

from sqlalchemy import exists, select

from bot.content.redaction import redact
from bot.insights import hooks as insights
from bot.insights.models import InsightEvent, RatingComment
from bot.web.errors import Problem
from bot.web.models import Escalation
from bot.web.runtime import Runtime
from bot.web.services.presenters import conversation_or_404


def rate(rt: Runtime, conversation_id: str, score: int, comment: str) -> dict:
    """Once per conversation. The comment is redacted like the content inbox (names, contact
    details, card and bank numbers become placeholders) before it is stored."""
    text = redact(comment.strip()) if comment.strip() else ""
    with rt.transaction() as session:
        conversation_or_404(session, conversation_id, for_update=True)
        rated = exists().where(InsightEvent.conversation_id == conversation_id,
                               InsightEvent.kind == "rating")
        if session.scalar(select(rated)):
            raise Problem(409, "already_rated", "Thank you, this chat has already been rated.")
        with_staff = session.scalar(select(exists().where(
            Escalation.conversation_id == conversation_id)))
        insights.rated(rt, session, conversation_id, score, "staff" if with_staff else "bot")
        if text:
            session.add(RatingComment(at=rt.clock.now(), conversation_id=conversation_id,
                                      score=score, text=text))
    return {"score": score, "recorded": True}
