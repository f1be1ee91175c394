"""How HTML pages refuse (sign in first, or the forbidden page) and content refusals as problems."""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from bot.content.authoring import ContentError
from bot.web.errors import Problem
from bot.web.services.content import content_problem
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import render


class SignInNeeded(Exception):
    """A page asked for without a live staff session."""


class RoleRefused(Exception):
    """A page the signed-in user's role may not see."""

    def __init__(self, user: SignedIn) -> None:
        super().__init__(user.role)
        self.user = user


def install_page_error_handlers(app: FastAPI) -> None:
    """After `install_error_handlers`: content refusals reuse its `Problem` answer."""

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_request: Request, _exc: SignInNeeded) -> Response:
        return RedirectResponse("/staff/login", status_code=303)

    @app.exception_handler(RoleRefused)
    async def _forbidden(request: Request, exc: RoleRefused) -> Response:
        return render(request, "staff/forbidden.html", exc.user, status_code=403)

    @app.exception_handler(ContentError)
    async def _content(request: Request, exc: ContentError) -> Response:
        answer = app.exception_handlers[Problem](request, content_problem(exc))
        return await answer if inspect.isawaitable(answer) else answer
