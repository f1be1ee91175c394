"""The staff console: queue, cases and their actions, live streams and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.web.deps import admin, admin_page, agent, agent_page, get_runtime
from bot.web.errors import Problem
from bot.web.events import QUEUE_TOPIC, conversation_topic
from bot.web.runtime import Runtime
from bot.web.schemas import UNSTORABLE
from bot.web.services import audit, console, staff_auth
from bot.web.services.staff_auth import SignedIn
from bot.web.sse import message_stream, resume_point, snapshot_stream
from bot.web.templating import render

router = APIRouter(prefix="/staff", include_in_schema=False)
MAX_TEXT = 2000


def _done(request: Request, escalation_id: int, result: dict | None = None) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(result or {"ok": True})
    return RedirectResponse(f"/staff/cases/{escalation_id}", status_code=303)


def _text(text: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise Problem(422, "validation_error", f"text: 1 to {MAX_TEXT:,} characters")
    if UNSTORABLE.search(text):
        raise Problem(422, "validation_error", "text: contains characters that cannot be stored")
    return text


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, user: SignedIn = Depends(agent_page),
               rt: Runtime = Depends(get_runtime)) -> Response:
    return render(request, "staff/queue.html", user, **console.queue(rt, user))


@router.get("/queue.json")
def queue_json(user: SignedIn = Depends(agent), rt: Runtime = Depends(get_runtime)) -> dict:
    return console.queue(rt, user)


@router.get("/stream")
async def queue_stream(request: Request, user: SignedIn = Depends(agent),
                       rt: Runtime = Depends(get_runtime)) -> Response:
    def snapshot() -> dict:
        staff_auth.touch(rt, user)  # an open console counts as an agent being available
        return console.queue(rt, user)

    return snapshot_stream(request, rt, QUEUE_TOPIC, snapshot)


# Before the page route, or "5.json" would be taken as the page's id.
@router.get("/cases/{escalation_id}.json")
def case_json(escalation_id: int, user: SignedIn = Depends(agent),
              rt: Runtime = Depends(get_runtime)) -> dict:
    return console.case(rt, user, escalation_id, viewed_via="json")


@router.get("/cases/{escalation_id}", response_class=HTMLResponse)
def case_page(escalation_id: int, request: Request, user: SignedIn = Depends(agent_page),
              rt: Runtime = Depends(get_runtime)) -> Response:
    return render(request, "staff/case.html", user, **console.case(rt, user, escalation_id,
                                                                  viewed_via="page"))


@router.get("/cases/{escalation_id}/stream")
async def case_stream(escalation_id: int, request: Request, after: str | None = None,
                      user: SignedIn = Depends(agent),
                      rt: Runtime = Depends(get_runtime)) -> Response:
    case = console.case(rt, user, escalation_id, viewed_via="stream")
    conversation_id = case["escalation"]["conversation_id"]
    return message_stream(request, rt, conversation_topic(conversation_id), conversation_id,
                          resume_point(request, after), masked=True)


@router.post("/cases/{escalation_id}/claim")
def claim(escalation_id: int, request: Request, user: SignedIn = Depends(agent),
          rt: Runtime = Depends(get_runtime)) -> Response:
    console.claim(rt, user, escalation_id)
    return _done(request, escalation_id)


@router.post("/cases/{escalation_id}/reply")
def reply(escalation_id: int, request: Request, text: str = Form(""),
          user: SignedIn = Depends(agent), rt: Runtime = Depends(get_runtime)) -> Response:
    message = console.reply(rt, user, escalation_id, _text(text))
    return _done(request, escalation_id, {"message": message})


@router.post("/cases/{escalation_id}/notes")
def add_note(escalation_id: int, request: Request, text: str = Form(""),
             user: SignedIn = Depends(agent), rt: Runtime = Depends(get_runtime)) -> Response:
    console.note(rt, user, escalation_id, _text(text))
    return _done(request, escalation_id)


@router.post("/cases/{escalation_id}/transfer")
def transfer(escalation_id: int, request: Request, to_staff_id: int = Form(...),
             user: SignedIn = Depends(agent), rt: Runtime = Depends(get_runtime)) -> Response:
    console.transfer(rt, user, escalation_id, to_staff_id)
    return _done(request, escalation_id)


@router.post("/cases/{escalation_id}/handback")
def hand_back(escalation_id: int, request: Request, user: SignedIn = Depends(agent),
              rt: Runtime = Depends(get_runtime)) -> Response:
    console.hand_back(rt, user, escalation_id)
    return _done(request, escalation_id)


@router.post("/cases/{escalation_id}/resolve")
def resolve(escalation_id: int, request: Request, outcome: str = Form(""),
            user: SignedIn = Depends(agent), rt: Runtime = Depends(get_runtime)) -> Response:
    console.resolve(rt, user, escalation_id, outcome)
    return _done(request, escalation_id)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: SignedIn = Depends(admin_page),
               rt: Runtime = Depends(get_runtime)) -> Response:
    return render(request, "staff/audit.html", user, **audit.latest(rt))


@router.get("/audit.json")
def audit_json(_user: SignedIn = Depends(admin), rt: Runtime = Depends(get_runtime)) -> dict:
    return audit.latest(rt)
