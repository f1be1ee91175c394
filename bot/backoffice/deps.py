"""Dependencies every back-office route declares: the service token and a database session."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.http.clock import LondonClock
from bot.http.problems import Problem

_bearer = HTTPBearer(auto_error=False)


def require_service_token(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> None:
    expected: str = request.app.state.service_token
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise Problem(401, "unauthorised", "A valid service token is required.")


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.session_factory) as session:
        yield session


# Every route takes its session through this: it commits before the response is sent, so a
# caller never sees a success that was not stored, and the idempotency middleware (which writes
# its own record right after) never waits on the route's SQLite write lock.
db_session = Depends(get_session, scope="function")


def get_clock(request: Request) -> LondonClock:
    return request.app.state.clock
