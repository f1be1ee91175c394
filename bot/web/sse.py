"""Server-Sent Events: a conversation's messages after an id, resumable with Last-Event-ID."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from bot.web.data import conversations as conv_data
from bot.web.runtime import Runtime
from bot.web.services.presenters import message_json

HEARTBEAT_SECONDS = 15.0
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def event(data: dict, *, event_id: str | None = None, name: str | None = None) -> str:
    lines = [f"id: {event_id}"] if event_id is not None else []
    if name:
        lines.append(f"event: {name}")
    lines.append(f"data: {json.dumps(data, separators=(',', ':'))}")
    return "\n".join(lines) + "\n\n"


def resume_point(request: Request, after: str | None) -> int:
    """Last-Event-ID (sent by a reconnecting client) wins over `?after=`; 0 = from the start."""
    for value in (request.headers.get("last-event-id"), after):
        if value and value.strip().isdigit():
            return int(value.strip())
    return 0


def _load(rt: Runtime, conversation_id: str, after: int, masked: bool) -> tuple[list[dict], str]:
    with rt.transaction() as session:
        conversation = conv_data.get_conversation(session, conversation_id)
        rows = conv_data.messages_after(session, conversation_id, after, limit=200)
        state = conversation.state if conversation else "closed"
        return [message_json(m, a, masked=masked) for m, a in rows], state


async def _messages(request: Request, rt: Runtime, topic: str, conversation_id: str,
                    after: int, masked: bool) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    last = after
    while not await request.is_disconnected():
        poked = rt.broker.watch(topic)
        messages, state = await run_in_threadpool(_load, rt, conversation_id, last, masked)
        for message in messages:
            last = int(message["id"])
            yield event({"message": message, "state": state}, event_id=message["id"],
                        name="message")
        if messages:
            continue
        try:
            await asyncio.wait_for(poked.wait(), timeout=HEARTBEAT_SECONDS)
        except asyncio.TimeoutError:
            yield ": keep-alive\n\n"


def message_stream(request: Request, rt: Runtime, topic: str, conversation_id: str,
                   after: int, *, masked: bool = False) -> StreamingResponse:
    return StreamingResponse(
        _messages(request, rt, topic, conversation_id, after, masked),
        media_type="text/event-stream", headers=HEADERS,
    )


async def _snapshots(request: Request, topic: str, rt: Runtime,
                     snapshot: Callable[[], dict]) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        poked = rt.broker.watch(topic)
        yield event(await run_in_threadpool(snapshot), name=topic)
        try:
            await asyncio.wait_for(poked.wait(), timeout=HEARTBEAT_SECONDS)
        except asyncio.TimeoutError:
            pass


def snapshot_stream(request: Request, rt: Runtime, topic: str,
                    snapshot: Callable[[], dict]) -> StreamingResponse:
    """A fresh snapshot (e.g. the staff queue) whenever the topic is poked, and on a heartbeat."""
    return StreamingResponse(_snapshots(request, topic, rt, snapshot),
                             media_type="text/event-stream", headers=HEADERS)
