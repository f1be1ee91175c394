"""Rasa's REST channel behind a shared token, so only the gateway can talk to the bot."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


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

        return blueprint


def _presented_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""
