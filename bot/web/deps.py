"""Dependencies routes declare: runtime, a resident's conversation, staff by role, publishing."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.content.jobs import PublishJobs
from bot.web.errors import Problem
from bot.web.page_errors import RoleRefused, SignInNeeded
from bot.web.runtime import Runtime
from bot.web.services import chat, staff_auth
from bot.web.services.staff_auth import SignedIn

_bearer = HTTPBearer(auto_error=False)
SESSION_COOKIE = "councilbot_staff"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def publish_jobs(request: Request) -> PublishJobs:
    return request.app.state.content_jobs


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def resident_conversation(
    conversation_id: str,
    rt: Runtime = Depends(get_runtime),
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> str:
    """The conversation id, once the bearer token proves it is this resident's."""
    if credentials is None:
        raise Problem(401, "unauthorised",
                      "Send the conversation's token as 'Authorization: Bearer <token>'.")
    chat.authorise(rt, conversation_id, credentials.credentials)
    return conversation_id


def limit_by_address(request: Request, rt: Runtime = Depends(get_runtime)) -> None:
    rt.limiter.check(rt.settings.chat_rate_per_address, "address", client_address(request),
                     message="Too many messages from your connection. Wait a minute and retry.")


async def signed_in(request: Request, rt: Runtime = Depends(get_runtime)) -> SignedIn:
    """The staff user behind the session cookie; unsafe methods must carry its CSRF token
    (the `X-CSRF-Token` header from scripts, the `csrf_token` field from plain forms)."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    user = await run_in_threadpool(staff_auth.from_cookie, rt, cookie)
    if user is None:
        raise Problem(401, "unauthorised", "Sign in to the staff console.")
    if request.method in UNSAFE_METHODS:
        given = request.headers.get("x-csrf-token", "")
        if not given and "form" in request.headers.get("content-type", ""):
            # Starlette caches the parsed form, so the route can still read its fields.
            given = str((await request.form()).get("csrf_token", ""))
        if not hmac.compare_digest(given.encode(), user.csrf_token.encode()):
            raise Problem(403, "csrf_failed", "The form has expired. Reload the page and retry.")
    return user


def require_role(*roles: str):  # type: ignore[no-untyped-def]
    def _check(user: SignedIn = Depends(signed_in)) -> SignedIn:
        if user.role not in roles:
            raise Problem(403, "forbidden", "Your role cannot do this.")
        return user

    return _check


def page_role(*roles: str):  # type: ignore[no-untyped-def]
    """For HTML pages: the signed-in user; else a redirect to sign in, or the forbidden page."""
    def _check(request: Request, rt: Runtime = Depends(get_runtime)) -> SignedIn:
        user = staff_auth.from_cookie(rt, request.cookies.get(SESSION_COOKIE, ""))
        if user is None:
            raise SignInNeeded()
        if user.role not in roles:
            raise RoleRefused(user)
        return user

    return _check


agent = require_role("agent", "admin")
admin = require_role("admin")
editor = require_role("editor", "admin")
manager = require_role("manager", "admin")
agent_page = page_role("agent", "admin")
admin_page = page_role("admin")
editor_page = page_role("editor", "admin")
manager_page = page_role("manager", "admin")
