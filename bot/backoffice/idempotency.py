"""Replays the stored response when a write is retried with the same Idempotency-Key."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.exc import IntegrityError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.backoffice.models import IdempotencyRecord
from bot.db import session_scope
from bot.http.problems import error_body

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"


class IdempotencyMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get(HEADER)
        if request.method not in WRITE_METHODS or not key:
            return await call_next(request)
        if len(key) > 200:
            return JSONResponse(
                error_body("validation_error", f"{HEADER} must be at most 200 characters."),
                status_code=422,
            )
        body = await request.body()
        fingerprint = hashlib.sha256(
            request.method.encode() + request.url.path.encode() + b"\n" + body
        ).hexdigest()
        factory = request.app.state.session_factory

        with session_scope(factory) as session:
            stored = session.get(IdempotencyRecord, key)
            if stored is not None:
                return _replay(stored, fingerprint)

        response = await call_next(request)
        if response.status_code >= 500:
            return response
        content = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        try:
            with session_scope(factory) as session:
                session.add(
                    IdempotencyRecord(
                        key=key,
                        request_fingerprint=fingerprint,
                        status_code=response.status_code,
                        response_body=content.decode(),
                    )
                )
        except IntegrityError:
            pass  # a concurrent retry stored it first; both carry the same outcome
        return Response(
            content,
            status_code=response.status_code,
            headers={k: v for k, v in response.headers.items() if k.lower() != "content-length"},
            media_type=response.media_type,
        )


def _replay(stored: IdempotencyRecord, fingerprint: str) -> Response:
    if stored.request_fingerprint != fingerprint:
        return JSONResponse(
            error_body(
                "idempotency_key_reused",
                f"This {HEADER} was already used for a different request.",
            ),
            status_code=422,
        )
    return JSONResponse(
        json.loads(stored.response_body),
        status_code=stored.status_code,
        headers={"Idempotent-Replayed": "true"},
    )
