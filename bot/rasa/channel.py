"""Rasa's REST channel behind a shared token, so only the gateway can talk to the bot."""

from __future__ import annotations

import inspect
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa.turn_summary import TURN_KEY, summarise

logger = logging.getLogger(__name__)


class TokenRestInput(RestInput):
    """Same URL and payloads as Rasa's `rest` channel; requests must carry an
    `Authorization: Bearer` header matching the configured token (never `?token=`: URLs end
    up in logs)."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the REST channel needs a token (set RASA_TOKEN)")
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=str((credentials or {}).get("token") or ""))

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if request.path.rstrip("/").endswith("/webhooks/rest"):
                return None  # the health check stays open
            if secrets.compare_digest(_presented_token(request).encode(), self.token.encode()):
                return None
            return response.json({"error": "a valid token is required"}, status=401)

        @blueprint.middleware("response")
        async def add_turn_summary(request: Request, replies: HTTPResponse) -> HTTPResponse | None:
            """With `?insights=1`, append what Rasa did this turn (bot/rasa/turn_summary.py)."""
            if (request.method != "POST" or request.args.get("insights") != "1"
                    or not request.path.rstrip("/").endswith("/webhook")
                    or replies.status != 200):
                return None
            try:
                return await _with_turn_summary(request, replies)
            except Exception:  # insights must never cost the resident their answer
                logger.warning("turn summary failed", exc_info=True)
                return None

        return blueprint


async def _with_turn_summary(request: Request, replies: HTTPResponse) -> HTTPResponse | None:
    sender = str((request.json or {}).get("sender") or "")
    messages = json.loads(replies.body or b"[]")
    if not sender or not isinstance(messages, list):
        return None
    tracker = request.app.ctx.agent.tracker_store.retrieve(sender)
    if inspect.isawaitable(tracker):
        tracker = await tracker
    if tracker is None:
        return None
    events = [event.as_dict() for event in tracker.events]
    messages.append({"recipient_id": sender, "custom": {TURN_KEY: summarise(events)}})
    return response.json(messages)


def _presented_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""
