"""Each write with an Idempotency-Key is done once: the key is recorded as in progress before
the work starts, so a retry that arrives meanwhile gets 409 `idempotency_key_in_progress`
(try again shortly) and one that arrives afterwards gets the first response replayed.

A write that fails on the system's side (5xx, or an exception) releases its key, so a retry
does the work; so does one whose first try was cut off (ABANDONED_SECONDS). Records older
than BACKOFFICE_IDEMPOTENCY_RETENTION_SECONDS are forgotten: `purge_expired` removes them,
and an expired key is treated as new.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.backoffice.models import IdempotencyRecord
from bot.db import session_scope
from bot.http.problems import error_body

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"
IN_PROGRESS = 0  # status_code of a record whose write has not finished
RETRY_AFTER_SECONDS = 1
# A write still "in progress" after this long was cut off (the system stopped mid-way, so its
# transaction rolled back): the key is free again. Far longer than any write takes.
ABANDONED_SECONDS = 120


def expiry_cutoff(now: datetime, retention_seconds: float) -> datetime:
    """Records created before this moment are expired."""
    return now - timedelta(seconds=retention_seconds)


def purge_expired(session: Session, now: datetime, retention_seconds: float) -> int:
    """Delete the idempotency records older than the retention period; returns how many."""
    result = session.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.created_at < expiry_cutoff(now, retention_seconds)))
    return result.rowcount or 0


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
        factory: sessionmaker = request.app.state.session_factory
        retention = request.app.state.settings.backoffice_idempotency_retention_seconds

        earlier = _claim(factory, key, fingerprint, datetime.utcnow(), retention)
        if earlier is not None:
            return earlier
        try:
            response = await call_next(request)
        except Exception:
            _release(factory, key)
            raise
        if response.status_code >= 500:
            _release(factory, key)
            return response
        content = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        with session_scope(factory) as session:
            session.execute(update(IdempotencyRecord).where(IdempotencyRecord.key == key).values(
                status_code=response.status_code, response_body=content.decode()))
        return Response(
            content,
            status_code=response.status_code,
            headers={k: v for k, v in response.headers.items() if k.lower() != "content-length"},
            media_type=response.media_type,
        )


def _claim(factory: sessionmaker, key: str, fingerprint: str, now: datetime,
           retention: float) -> Response | None:
    """Record the key as in progress (None: go ahead), or the answer for a key already used.

    The primary key decides between concurrent requests on SQLite and PostgreSQL alike."""
    try:
        with session_scope(factory) as session:
            session.execute(delete(IdempotencyRecord).where(
                IdempotencyRecord.key == key,
                or_(IdempotencyRecord.created_at < expiry_cutoff(now, retention),
                    and_(IdempotencyRecord.status_code == IN_PROGRESS,
                         IdempotencyRecord.created_at
                         < now - timedelta(seconds=ABANDONED_SECONDS)))))
            session.add(IdempotencyRecord(key=key, request_fingerprint=fingerprint,
                                          status_code=IN_PROGRESS, response_body="",
                                          created_at=now))
        return None
    except IntegrityError:
        pass
    with session_scope(factory) as session:
        stored = session.get(IdempotencyRecord, key)
        if stored is None:  # released by a failed first try just now: let the caller retry
            return _in_progress()
        return _replay(stored, fingerprint)


def _release(factory: sessionmaker, key: str) -> None:
    with session_scope(factory) as session:
        session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.key == key, IdempotencyRecord.status_code == IN_PROGRESS))


def _in_progress() -> Response:
    return JSONResponse(
        error_body("idempotency_key_in_progress",
                   "A request with this Idempotency-Key is still being processed."),
        status_code=409, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _replay(stored: IdempotencyRecord, fingerprint: str) -> Response:
    if stored.request_fingerprint != fingerprint:
        return JSONResponse(
            error_body(
                "idempotency_key_reused",
                f"This {HEADER} was already used for a different request.",
            ),
            status_code=422,
        )
    if stored.status_code == IN_PROGRESS:
        return _in_progress()
    return JSONResponse(
        json.loads(stored.response_body),
        status_code=stored.status_code,
        headers={"Idempotent-Replayed": "true"},
    )
