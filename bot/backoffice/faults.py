"""Fault injection (latency, failing the next N calls, a random error rate, a full outage,
writes whose answers are lost)."""

from __future__ import annotations

import asyncio
import random

from pydantic import BaseModel, Field
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.http.problems import error_body

EXEMPT_PREFIXES = ("/_admin", "/health", "/openapi.json", "/docs", "/redoc")


class Faults(BaseModel):
    latency_ms: int = Field(0, ge=0, le=60_000)
    error_rate: float = Field(0.0, ge=0.0, le=1.0)
    outage: bool = False
    # Fail exactly this many requests with a 503, then recover: makes retry tests deterministic.
    fail_next: int = Field(0, ge=0, le=1000)
    # The next N writes are done, then their answers held back until the caller has given up:
    # the case where only an idempotency key stops a retry from writing twice.
    lose_next_write_answers: int = Field(0, ge=0, le=1000)


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Longer than any caller waits for one back-office answer.
LOST_ANSWER_SECONDS = 30.0


class FaultMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path.startswith(EXEMPT_PREFIXES):
            return await call_next(request)
        faults: Faults = request.app.state.faults
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.fail_next:
            faults.fail_next -= 1
            return JSONResponse(
                error_body("service_unavailable", "The system is temporarily unavailable."),
                status_code=503,
            )
        if faults.outage:
            return JSONResponse(
                error_body("service_unavailable", "The system is down for maintenance."),
                status_code=503,
            )
        if faults.error_rate and random.random() < faults.error_rate:
            return JSONResponse(
                error_body("internal_error", "An unexpected error occurred."), status_code=500
            )
        if faults.lose_next_write_answers and request.method in WRITE_METHODS:
            faults.lose_next_write_answers -= 1
            response = await call_next(request)
            await asyncio.sleep(LOST_ANSWER_SECONDS)
            return response
        return await call_next(request)
