"""Refuses request bodies over a size limit before anything reads or parses them (413 JSON).

A declared Content-Length over the limit is refused at once; a body sent without one (chunked)
is counted as it arrives and refused the moment it passes the limit.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.http.problems import error_body

TOO_LARGE = "too_large"


class BodyLimitMiddleware:
    """`limits` maps a path prefix to its own limit (longest prefix wins); else `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits = sorted((limits or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((size for prefix, size in self.limits if path.startswith(prefix)),
                    self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI passes an HTTPException from reading the body on unchanged,
                    # and the apps' handlers answer it in the shared error shape.
                    raise HTTPException(413, _message(limit))
            return message

        await self.app(scope, counted, send)


def _message(limit: int) -> str:
    return f"The request body is larger than {limit:,} bytes."


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(error_body(TOO_LARGE, _message(limit), max_bytes=limit)).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
