"""Fault injection (latency, failing the next N calls, a random error rate, a full outage)."""

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
        return await call_next(request)
