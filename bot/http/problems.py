"""Refusals as JSON for both apps: every error body is `{"error": {"code", "message", ...}}`.

`Problem` is raised (or returned) by services; `install_problem_handlers` turns it, a request
that fails validation and any HTTP error Starlette raises into that one shape. The codes of
each app's own refusals live with that app.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

HTTP_ERROR_CODES = {401: "unauthorised", 404: "not_found", 405: "method_not_allowed",
                    413: "too_large"}
# The database locked past its busy timeout, or unreachable: the request's transaction was
# rolled back, so nothing it would have written was kept.
DATABASE_BUSY = ("The service is busy and nothing was saved. Please try again in a moment.")


class Problem(Exception):
    """A refusal the caller can act on, e.g. `Problem(409, "already_reported", "...")`."""

    def __init__(self, status_code: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None, **details: Any) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details


def error_body(code: str, message: str, **details: Any) -> dict:
    return {"error": {"code": code, "message": message, **details}}


def problem_response(problem: Problem) -> JSONResponse:
    """The response for a refusal, for routes that return one rather than raise it."""
    return JSONResponse(error_body(problem.code, problem.message, **problem.details),
                        status_code=problem.status_code, headers=problem.headers or None)


def validation_response(exc: RequestValidationError) -> JSONResponse:
    # Never echo the input back: it may hold a resident's personal details.
    fields = [
        {"field": ".".join(str(p) for p in err["loc"] if p != "body"), "message": err["msg"]}
        for err in exc.errors()
    ]
    message = "; ".join(f"{f['field'] or 'body'}: {f['message']}" for f in fields)
    return JSONResponse(error_body("validation_error", message, fields=fields), status_code=422)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(OperationalError)
    async def _database(_request: Request, exc: OperationalError) -> JSONResponse:
        # The statement only: hide_parameters keeps the values (a resident's words) out.
        log.warning("database unavailable: %s", exc.orig)
        return JSONResponse(error_body("database_busy", DATABASE_BUSY), status_code=503,
                            headers={"Retry-After": "5"})
