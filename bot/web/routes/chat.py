"""The resident chat API (docs/contract.md section 4) plus welcome, call-back details, feedback
and ending."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from bot.web.deps import client_address, get_runtime, limit_by_address, resident_conversation
from bot.web.errors import Problem
from bot.web.events import conversation_topic
from bot.web.runtime import Runtime
from bot.web.schemas import ContactDetails, Feedback, Rating, ResidentMessage
from bot.web.services import chat, feedback, rating, welcome
from bot.web.sse import message_stream, resume_point

router = APIRouter(prefix="/api/conversations", tags=["resident chat"])


@router.post("", status_code=201)
def start(request: Request, rt: Runtime = Depends(get_runtime)) -> dict:
    rt.limiter.check(rt.settings.new_conversation_rate_per_address, "new",
                     client_address(request), message="Too many new chats. Wait a minute.")
    return chat.start_conversation(rt)


@router.get("/welcome", dependencies=[Depends(limit_by_address)])
def opening(rt: Runtime = Depends(get_runtime)) -> dict:
    """What the widget shows before the first message: welcome, suggestions, privacy notice."""
    return welcome.welcome(rt)


@router.post("/{conversation_id}/messages", dependencies=[Depends(limit_by_address)])
def send(body: ResidentMessage, conversation_id: str = Depends(resident_conversation),
         rt: Runtime = Depends(get_runtime)) -> dict:
    limit = rt.settings.chat_max_chars
    if len(body.text) > limit or len(body.payload or "") > limit:
        raise Problem(422, "too_long", f"Messages can be up to {limit:,} characters.",
                      max_chars=limit)
    rt.limiter.check(rt.settings.chat_rate_per_conversation, "conversation", conversation_id,
                     message="You're sending messages very quickly. Wait a moment and retry.")
    return chat.post_message(rt, conversation_id, body.text, body.payload)


@router.get("/{conversation_id}/messages", dependencies=[Depends(limit_by_address)])
def messages(after: str = "0", conversation_id: str = Depends(resident_conversation),
             rt: Runtime = Depends(get_runtime)) -> dict:
    rt.limiter.check(rt.settings.history_rate_per_conversation, "history", conversation_id,
                     message="Too many requests for this conversation. Wait a moment.")
    if not after.isdigit():
        raise Problem(422, "validation_error", "after: must be a message id")
    return chat.history(rt, conversation_id, int(after))


def limit_streams(conversation_id: str = Depends(resident_conversation),
                  rt: Runtime = Depends(get_runtime)) -> None:
    rt.limiter.check(rt.settings.stream_rate_per_conversation, "stream", conversation_id,
                     message="Reconnecting too often. Wait a moment.")


@router.get("/{conversation_id}/stream", response_class=StreamingResponse,
            dependencies=[Depends(limit_by_address), Depends(limit_streams)])
async def stream(request: Request, after: str | None = None,
                 conversation_id: str = Depends(resident_conversation),
                 rt: Runtime = Depends(get_runtime)) -> StreamingResponse:
    # The sync dependency runs in a worker thread, so the token check never blocks the loop.
    return message_stream(request, rt, conversation_topic(conversation_id), conversation_id,
                          resume_point(request, after))


@router.post("/{conversation_id}/contact", dependencies=[Depends(limit_by_address)])
def contact(body: ContactDetails, conversation_id: str = Depends(resident_conversation),
            rt: Runtime = Depends(get_runtime)) -> dict:
    return chat.leave_contact_details(rt, conversation_id, body.dict())


@router.post("/{conversation_id}/feedback", dependencies=[Depends(limit_by_address)])
def mark_unhelpful(body: Feedback, conversation_id: str = Depends(resident_conversation),
                   rt: Runtime = Depends(get_runtime)) -> dict:
    return feedback.mark_unhelpful(rt, conversation_id, int(body.message_id))


@router.post("/{conversation_id}/rating", dependencies=[Depends(limit_by_address)])
def rate(body: Rating, conversation_id: str = Depends(resident_conversation),
         rt: Runtime = Depends(get_runtime)) -> dict:
    return rating.rate(rt, conversation_id, body.score, body.comment)


@router.post("/{conversation_id}/end")
def end(conversation_id: str = Depends(resident_conversation),
        rt: Runtime = Depends(get_runtime)) -> dict:
    return chat.end_chat(rt, conversation_id)
