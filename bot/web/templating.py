"""The Jinja2 templates for the demo page, staff console and content studio (autoescaping on)."""

from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from bot.web.services.staff_auth import SignedIn

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def render(request: Request, template: str, user: SignedIn, status_code: int = 200,
           **context) -> Response:
    """A staff or content page, for the signed-in user it is shown to."""
    return templates.TemplateResponse(request, template, {"user": user, **context},
                                      status_code=status_code)
