"""The staff console's privacy page (admins): a resident's subject access export and erasure."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.privacy import report, service
from bot.web.data import staff as staff_data
from bot.web.deps import admin, admin_page, get_runtime
from bot.web.runtime import Runtime
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import render

router = APIRouter(prefix="/staff/privacy", include_in_schema=False)
FIELDS = {"conversation_id": "Conversation id", "email": "Email address", "phone": "Phone number"}


def _subject(found_by: str, value: str) -> service.Subject:
    if found_by not in FIELDS:
        raise service.BadSubject("Choose how to find the resident.")
    return service.Subject.of(**{found_by: value})


def _page(request: Request, user: SignedIn, status_code: int = 200, **context) -> Response:
    return render(request, "staff/privacy.html", user, status_code=status_code,
                  fields=FIELDS, **context)


@router.get("", response_class=HTMLResponse)
def privacy_page(request: Request, user: SignedIn = Depends(admin_page)) -> Response:
    return _page(request, user)


@router.post("/export")
def export(request: Request, found_by: str = Form(""), value: str = Form(""),
           format: str = Form("html"), user: SignedIn = Depends(admin),
           rt: Runtime = Depends(get_runtime)) -> Response:
    try:
        subject = _subject(found_by, value)
    except service.BadSubject as exc:
        return _page(request, user, 422, error=str(exc), found_by=found_by)
    with service.stores(rt.settings, request.app.state.engine) as made:
        data = service.export(made, subject, rt.clock.now())
    with rt.transaction() as session:
        staff_data.record(session, rt.clock.now(), "privacy_export", staff_id=user.id,
                          found_by=subject.found_by, conversations=len(data["conversations"]))
    html = format != "json"
    return Response(report.as_html(data) if html else report.as_json(data),
                    media_type="text/html" if html else "application/json",
                    headers={"Content-Disposition": "attachment; filename=subject-access."
                             + ("html" if html else "json")})


@router.post("/erase", response_class=HTMLResponse)
def erase(request: Request, found_by: str = Form(""), value: str = Form(""),
          reference: str = Form(""), confirm: str = Form(""), user: SignedIn = Depends(admin),
          rt: Runtime = Depends(get_runtime)) -> Response:
    try:
        subject = _subject(found_by, value)
    except service.BadSubject as exc:
        return _page(request, user, 422, error=str(exc), found_by=found_by)
    if confirm != "yes":
        return _page(request, user, 422, found_by=found_by,
                     error="Tick the box to confirm: erasure cannot be undone.")
    with service.stores(rt.settings, request.app.state.engine) as made:
        if not service.find(made, subject).anything:
            return _page(request, user, 404, found_by=found_by,
                         error="Nothing is held for that resident; nothing was changed.")
        removed = service.erase(made, subject, staff_id=user.id, reference=reference,
                                now=rt.clock.now())
    return _page(request, user, erased={k: v for k, v in removed.items() if v})
