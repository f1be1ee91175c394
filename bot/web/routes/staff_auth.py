"""Staff sign-in and sign-out pages; the login form has its own double-submit CSRF cookie."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web.deps import SESSION_COOKIE, client_address, get_runtime, signed_in
from bot.web.errors import Problem
from bot.web.runtime import Runtime
from bot.web.services import staff_auth
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import templates

router = APIRouter(prefix="/staff", include_in_schema=False)
LOGIN_CSRF_COOKIE = "councilbot_login_csrf"
LOGIN_RATE = "20/minute"


def _secure(rt: Runtime) -> bool:
    return rt.settings.secure_cookies


def _login_page(request: Request, rt: Runtime, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = templates.TemplateResponse(
        request, "staff/login.html", {"csrf_token": token, "error": error}, status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(rt), path="/staff")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, rt: Runtime = Depends(get_runtime)) -> Response:
    return _login_page(request, rt)


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""),
          csrf_token: str = Form(""), rt: Runtime = Depends(get_runtime)) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        return _login_page(request, rt, "The form expired. Please try again.", 403)
    try:
        rt.limiter.check(LOGIN_RATE, "login", client_address(request))
        cookie, user = staff_auth.sign_in(rt, username, password, client_address(request))
    except Problem as refusal:
        return _login_page(request, rt, refusal.message, refusal.status_code)
    # Editors work on answers and managers read figures, not the queue: each to their area.
    home = {"editor": "/content", "manager": "/staff/insights"}.get(user.role, "/staff")
    response = RedirectResponse(home, status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=_secure(rt), path="/",
                        max_age=rt.settings.staff_session_hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/staff")
    return response


@router.post("/logout")
def logout(user: SignedIn = Depends(signed_in), rt: Runtime = Depends(get_runtime)) -> Response:
    staff_auth.sign_out(rt, user)
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
