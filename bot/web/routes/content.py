"""The /content studio for editors: questions, examples, preview, inbox, publish and rollback.

Pages are plain HTML forms (they work without JavaScript); every action also answers JSON
when asked with `Accept: application/json`, which is what scripts and tests use.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.content import inbox
from bot.content.authoring import ChangeRefused, ContentEditor, ContentError, Question
from bot.content.jobs import PublishJobs
from bot.content.publish import Publisher
from bot.web.deps import SESSION_COOKIE, get_runtime, require_role
from bot.web.errors import Problem
from bot.web.runtime import Runtime
from bot.web.services import staff_auth
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import templates

router = APIRouter(prefix="/content", include_in_schema=False)
editor_role = require_role("editor", "admin")
ROLES = ("editor", "admin")
MAX_FIELD = 5000


def _editor(rt: Runtime) -> ContentEditor:
    return ContentEditor(rt.settings)


def _jobs(request: Request, rt: Runtime) -> PublishJobs:
    jobs = getattr(request.app.state, "content_jobs", None)
    if jobs is None:
        jobs = PublishJobs(lambda: Publisher(rt.settings))
        request.app.state.content_jobs = jobs
    return jobs


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _lines(text: str) -> list[str]:
    if len(text) > MAX_FIELD * 10:
        raise Problem(422, "validation_error", "Too much text in one go.")
    return [line.strip().removeprefix("- ").strip() for line in text.splitlines()
            if line.strip()]


def _field(text: str, name: str) -> str:
    if len(text) > MAX_FIELD:
        raise Problem(422, "validation_error", f"{name}: at most {MAX_FIELD:,} characters")
    return text


def _problem(exc: ContentError) -> Problem:
    if isinstance(exc, ChangeRefused):
        return Problem(422, "change_refused", "Not saved: the change would break the content.",
                       problems=[p.as_dict() for p in exc.problems])
    code = {404: "not_found", 409: "conflict"}.get(exc.status, "content_error")
    return Problem(exc.status, code, str(exc))


def _page(request: Request, rt: Runtime, template: str, status: int = 200, **context
          ) -> Response:
    user = staff_auth.from_cookie(rt, request.cookies.get(SESSION_COOKIE, ""))
    if user is None:
        return RedirectResponse("/staff/login", status_code=303)
    if user.role not in ROLES:
        return templates.TemplateResponse(request, "staff/forbidden.html", {"user": user},
                                          status_code=403)
    return templates.TemplateResponse(request, template, {"user": user, **context},
                                      status_code=status)


def _question_json(question: Question, editor: ContentEditor) -> dict:
    preview = editor.preview(answer=question.answer)
    return {"name": question.name, "intent": question.intent, "question": question.question,
            "answer": question.answer, "answer_html": preview.html, "words": preview.words,
            "examples": list(question.examples)}


# Questions ---------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def list_page(request: Request, q: str = "", rt: Runtime = Depends(get_runtime)) -> Response:
    editor = _editor(rt)
    questions = editor.search(q) if q.strip() else editor.list_questions()
    return _page(request, rt, "content/list.html", questions=questions, q=q)


@router.get("/questions.json")
def list_json(q: str = "", _user: SignedIn = Depends(editor_role),
              rt: Runtime = Depends(get_runtime)) -> dict:
    editor = _editor(rt)
    found = editor.search(q) if q.strip() else editor.list_questions()
    return {"questions": [_question_json(question, editor) for question in found]}


@router.get("/questions/new", response_class=HTMLResponse)
def new_page(request: Request, rt: Runtime = Depends(get_runtime)) -> Response:
    return _page(request, rt, "content/edit.html", question=None, form={}, problems=[])


@router.post("/questions")
def create(request: Request, name: str = Form(""), question: str = Form(""),
           answer: str = Form(""), examples: str = Form(""),
           user: SignedIn = Depends(editor_role), rt: Runtime = Depends(get_runtime)
           ) -> Response:
    editor = _editor(rt)
    try:
        editor.add_question(_field(name, "name"), _field(question, "question"),
                            _lines(examples), _field(answer, "answer"))
        saved = editor.show(name)
    except ContentError as exc:
        if _wants_json(request):
            raise _problem(exc) from exc
        form = {"name": name, "question": question, "answer": answer, "examples": examples}
        return _page(request, rt, "content/edit.html", status=_problem(exc).status_code,
                     question=None, form=form, problems=_messages(exc))
    if _wants_json(request):
        return JSONResponse(_question_json(saved, editor), status_code=201)
    return RedirectResponse(f"/content/questions/{saved.name}?saved=1", status_code=303)


@router.get("/questions/{name}.json")
def show_json(name: str, _user: SignedIn = Depends(editor_role),
              rt: Runtime = Depends(get_runtime)) -> dict:
    editor = _editor(rt)
    try:
        return _question_json(editor.show(name), editor)
    except ContentError as exc:
        raise _problem(exc) from exc


@router.get("/questions/{name}", response_class=HTMLResponse)
def edit_page(name: str, request: Request, saved: bool = False,
              rt: Runtime = Depends(get_runtime)) -> Response:
    editor = _editor(rt)
    try:
        question = editor.show(name)
    except ContentError as exc:
        raise _problem(exc) from exc
    form = {"name": question.name, "question": question.question, "answer": question.answer,
            "examples": "\n".join(question.examples)}
    return _page(request, rt, "content/edit.html", question=question, form=form, problems=[],
                 saved=saved, preview=editor.preview(answer=question.answer))


@router.post("/questions/{name}")
def edit(name: str, request: Request, question: str = Form(""), answer: str = Form(""),
         examples: str = Form(""), user: SignedIn = Depends(editor_role),
         rt: Runtime = Depends(get_runtime)) -> Response:
    editor = _editor(rt)
    try:
        editor.edit_question(name, question=_field(question, "question"),
                             answer=_field(answer, "answer"), examples=_lines(examples))
        saved = editor.show(name)
    except ContentError as exc:
        if _wants_json(request):
            raise _problem(exc) from exc
        form = {"name": name, "question": question, "answer": answer, "examples": examples}
        return _page(request, rt, "content/edit.html", status=_problem(exc).status_code,
                     question=_safe_show(editor, name), form=form, problems=_messages(exc),
                     preview=editor.preview(answer=answer))
    if _wants_json(request):
        return JSONResponse(_question_json(saved, editor))
    return RedirectResponse(f"/content/questions/{saved.name}?saved=1", status_code=303)


@router.post("/questions/{name}/delete")
def delete(name: str, request: Request, user: SignedIn = Depends(editor_role),
           rt: Runtime = Depends(get_runtime)) -> Response:
    try:
        _editor(rt).remove_question(name)
    except ContentError as exc:
        raise _problem(exc) from exc
    if _wants_json(request):
        return JSONResponse({"removed": name})
    return RedirectResponse("/content", status_code=303)


@router.post("/intents/{intent:path}/examples")
def add_examples(intent: str, request: Request, examples: str = Form(""),
                 user: SignedIn = Depends(editor_role), rt: Runtime = Depends(get_runtime)
                 ) -> Response:
    try:
        result = _editor(rt).add_examples(intent, _lines(examples))
    except ContentError as exc:
        raise _problem(exc) from exc
    if _wants_json(request):
        return JSONResponse({"intent": intent, "files": result.files})
    target = intent.removeprefix("faq/") if intent.startswith("faq/") else ""
    return RedirectResponse(f"/content/questions/{target}?saved=1" if target else "/content",
                            status_code=303)


@router.post("/preview")
def preview(answer: str = Form(""), _user: SignedIn = Depends(editor_role),
            rt: Runtime = Depends(get_runtime)) -> dict:
    shown = _editor(rt).preview(answer=_field(answer, "answer"))
    return {"html": shown.html, "words": shown.words}


# Inbox -------------------------------------------------------------------------------------

@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, rt: Runtime = Depends(get_runtime)) -> Response:
    editor = _editor(rt)
    with rt.transaction() as session:
        groups = [{"ids": g.ids, "text": g.text, "count": len(g.items),
                   "texts": [i.text for i in g.items], "suggested": g.suggested_intent}
                  for g in inbox.open_groups(session, editor)]
    return _page(request, rt, "content/inbox.html", groups=groups,
                 intents=sorted(editor.intents()))


@router.get("/inbox.json")
def inbox_json(_user: SignedIn = Depends(editor_role), rt: Runtime = Depends(get_runtime)
               ) -> dict:
    with rt.transaction() as session:
        return {"groups": [
            {"ids": g.ids, "texts": [i.text for i in g.items], "suggested": g.suggested_intent}
            for g in inbox.open_groups(session, _editor(rt))]}


@router.post("/inbox/assign")
def inbox_assign(request: Request, ids: list[int] = Form(...), intent: str = Form(""),
                 example: str = Form(""), user: SignedIn = Depends(editor_role),
                 rt: Runtime = Depends(get_runtime)) -> Response:
    try:
        with rt.transaction() as session:
            inbox.assign(session, _editor(rt), ids, intent, _field(example, "example") or None,
                         by=user.display_name)
    except ContentError as exc:
        raise _problem(exc) from exc
    return _inbox_done(request)


@router.post("/inbox/dismiss")
def inbox_dismiss(request: Request, ids: list[int] = Form(...),
                  user: SignedIn = Depends(editor_role), rt: Runtime = Depends(get_runtime)
                  ) -> Response:
    try:
        with rt.transaction() as session:
            inbox.dismiss(session, ids, by=user.display_name)
    except ContentError as exc:
        raise _problem(exc) from exc
    return _inbox_done(request)


def _inbox_done(request: Request) -> Response:
    if _wants_json(request):
        return JSONResponse({"ok": True})
    return RedirectResponse("/content/inbox", status_code=303)


# Publish -----------------------------------------------------------------------------------

@router.get("/publish", response_class=HTMLResponse)
def publish_page(request: Request, rt: Runtime = Depends(get_runtime)) -> Response:
    jobs = _jobs(request, rt)
    return _page(request, rt, "content/publish.html", state=jobs.state(), job=jobs.latest)


@router.get("/publish.json")
def publish_status(request: Request, _user: SignedIn = Depends(editor_role),
                   rt: Runtime = Depends(get_runtime)) -> dict:
    jobs = _jobs(request, rt)
    state = jobs.state()
    return {"live": state.live, "previous": state.previous,
            "job": jobs.latest.as_dict() if jobs.latest else None}


@router.post("/publish")
def publish(request: Request, user: SignedIn = Depends(editor_role),
            rt: Runtime = Depends(get_runtime)) -> Response:
    return _start(request, rt, "publish", user)


@router.post("/rollback")
def rollback(request: Request, user: SignedIn = Depends(editor_role),
             rt: Runtime = Depends(get_runtime)) -> Response:
    return _start(request, rt, "rollback", user)


def _start(request: Request, rt: Runtime, kind: str, user: SignedIn) -> Response:
    try:
        job = _jobs(request, rt).start(kind, user.display_name)
    except ContentError as exc:
        raise _problem(exc) from exc
    if _wants_json(request):
        return JSONResponse({"job": job.as_dict()}, status_code=202)
    return RedirectResponse("/content/publish", status_code=303)


def _messages(exc: ContentError) -> list[str]:
    if isinstance(exc, ChangeRefused):
        return [p.message for p in exc.problems]
    return [str(exc)]


def _safe_show(editor: ContentEditor, name: str) -> Question | None:
    try:
        return editor.show(name)
    except ContentError:
        return None
