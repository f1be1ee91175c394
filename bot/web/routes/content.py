"""The /content studio for editors: questions, examples, preview, inbox, publish and rollback.

Pages are plain HTML forms (they work without JavaScript); every action also answers JSON
when asked with `Accept: application/json`, which is what scripts and tests use. Content
refusals (`ContentError`) become problems in the handler `create_app` installs.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.content.authoring import ContentEditor, ContentError
from bot.content.jobs import PublishJobs
from bot.web.deps import editor, editor_page, get_runtime, publish_jobs
from bot.web.errors import Problem
from bot.web.runtime import Runtime
from bot.web.schemas import UNSTORABLE
from bot.web.services import audit, content
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import render

router = APIRouter(prefix="/content", include_in_schema=False)
MAX_FIELD = 5000


def _editor(rt: Runtime) -> ContentEditor:
    return ContentEditor(rt.settings)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _lines(text: str) -> list[str]:
    if len(text) > MAX_FIELD * 10:
        raise Problem(422, "validation_error", "Too much text in one go.")
    _field(text, "examples", MAX_FIELD * 10)
    return [line.strip().removeprefix("- ").strip() for line in text.splitlines()
            if line.strip()]


def _field(text: str, name: str, limit: int = MAX_FIELD) -> str:
    if len(text) > limit:
        raise Problem(422, "validation_error", f"{name}: at most {limit:,} characters")
    if UNSTORABLE.search(text):
        raise Problem(422, "validation_error", f"{name}: contains characters that cannot be "
                      "stored")
    return text


def _saved(request: Request, studio: ContentEditor, name: str, status_code: int = 200
           ) -> Response:
    saved = studio.show(name)
    if _wants_json(request):
        return JSONResponse(content.question_json(saved, studio), status_code=status_code)
    return RedirectResponse(f"/content/questions/{saved.name}?saved=1", status_code=303)


# Questions ---------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def list_page(request: Request, q: str = "", user: SignedIn = Depends(editor_page),
              rt: Runtime = Depends(get_runtime)) -> Response:
    studio = _editor(rt)
    questions = studio.search(q) if q.strip() else studio.list_questions()
    return render(request, "content/list.html", user, questions=questions, q=q)


@router.get("/questions.json")
def list_json(q: str = "", _user: SignedIn = Depends(editor),
              rt: Runtime = Depends(get_runtime)) -> dict:
    studio = _editor(rt)
    questions = studio.search(q) if q.strip() else studio.list_questions()
    return {"questions": [content.question_json(question, studio) for question in questions]}


@router.get("/questions/new", response_class=HTMLResponse)
def new_page(request: Request, user: SignedIn = Depends(editor_page)) -> Response:
    return render(request, "content/edit.html", user, question=None, form={}, problems=[])


@router.post("/questions")
def create(request: Request, name: str = Form(""), question: str = Form(""),
           answer: str = Form(""), examples: str = Form(""),
           user: SignedIn = Depends(editor), rt: Runtime = Depends(get_runtime)
           ) -> Response:
    studio = _editor(rt)
    try:
        studio.add_question(_field(name, "name"), _field(question, "question"),
                            _lines(examples), _field(answer, "answer"))
    except ContentError as exc:
        if _wants_json(request):
            raise
        form = {"name": name, "question": question, "answer": answer, "examples": examples}
        return render(request, "content/edit.html", user,
                      status_code=content.content_problem(exc).status_code,
                      question=None, form=form, problems=content.messages(exc))
    audit.record(rt, user, "content_question_added", question=name)
    return _saved(request, studio, name, status_code=201)


@router.get("/questions/{name}.json")
def show_json(name: str, _user: SignedIn = Depends(editor),
              rt: Runtime = Depends(get_runtime)) -> dict:
    studio = _editor(rt)
    return content.question_json(studio.show(name), studio)


@router.get("/questions/{name}", response_class=HTMLResponse)
def edit_page(name: str, request: Request, saved: bool = False,
              user: SignedIn = Depends(editor_page), rt: Runtime = Depends(get_runtime)
              ) -> Response:
    studio = _editor(rt)
    question = studio.show(name)
    return render(request, "content/edit.html", user, question=question,
                  form=content.question_form(question), problems=[], saved=saved,
                  preview=studio.preview(answer=question.answer))


@router.post("/questions/{name}")
def edit(name: str, request: Request, question: str = Form(""), answer: str = Form(""),
         examples: str = Form(""), user: SignedIn = Depends(editor),
         rt: Runtime = Depends(get_runtime)) -> Response:
    studio = _editor(rt)
    try:
        studio.edit_question(name, question=_field(question, "question"),
                             answer=_field(answer, "answer"), examples=_lines(examples))
    except ContentError as exc:
        if _wants_json(request):
            raise
        form = {"name": name, "question": question, "answer": answer, "examples": examples}
        return render(request, "content/edit.html", user,
                      status_code=content.content_problem(exc).status_code,
                      question=content.show_or_none(studio, name), form=form,
                      problems=content.messages(exc), preview=studio.preview(answer=answer))
    audit.record(rt, user, "content_question_edited", question=name)
    return _saved(request, studio, name)


@router.post("/questions/{name}/delete")
def delete(name: str, request: Request, user: SignedIn = Depends(editor),
           rt: Runtime = Depends(get_runtime)) -> Response:
    _editor(rt).remove_question(name)
    audit.record(rt, user, "content_question_removed", question=name)
    if _wants_json(request):
        return JSONResponse({"removed": name})
    return RedirectResponse("/content", status_code=303)


@router.post("/intents/{intent:path}/examples")
def add_examples(intent: str, request: Request, examples: str = Form(""),
                 user: SignedIn = Depends(editor), rt: Runtime = Depends(get_runtime)
                 ) -> Response:
    added = _lines(examples)
    result = _editor(rt).add_examples(intent, added)
    audit.record(rt, user, "content_examples_added", intent=intent, count=len(added))
    if _wants_json(request):
        return JSONResponse({"intent": intent, "files": result.files})
    target = intent.removeprefix("faq/") if intent.startswith("faq/") else ""
    return RedirectResponse(f"/content/questions/{target}?saved=1" if target else "/content",
                            status_code=303)


@router.post("/preview")
def preview(answer: str = Form(""), _user: SignedIn = Depends(editor),
            rt: Runtime = Depends(get_runtime)) -> dict:
    shown = _editor(rt).preview(answer=_field(answer, "answer"))
    return {"html": shown.html, "words": shown.words}


# Inbox -------------------------------------------------------------------------------------

@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, user: SignedIn = Depends(editor_page),
               rt: Runtime = Depends(get_runtime)) -> Response:
    studio = _editor(rt)
    groups = content.inbox_groups(rt, studio)
    return render(request, "content/inbox.html", user, groups=groups,
                  intents=sorted(studio.intents()))


@router.get("/inbox.json")
def inbox_json(_user: SignedIn = Depends(editor), rt: Runtime = Depends(get_runtime)) -> dict:
    groups = content.inbox_groups(rt, _editor(rt))
    return {"groups": [{"ids": g["ids"], "texts": g["texts"], "suggested": g["suggested"]}
                       for g in groups]}


@router.post("/inbox/assign")
def inbox_assign(request: Request, ids: list[int] = Form(...), intent: str = Form(""),
                 example: str = Form(""), user: SignedIn = Depends(editor),
                 rt: Runtime = Depends(get_runtime)) -> Response:
    content.assign(rt, _editor(rt), ids, intent, _field(example, "example") or None,
                   by=user.display_name)
    audit.record(rt, user, "content_inbox_assigned", intent=intent, count=len(ids))
    return _inbox_done(request)


@router.post("/inbox/dismiss")
def inbox_dismiss(request: Request, ids: list[int] = Form(...),
                  user: SignedIn = Depends(editor), rt: Runtime = Depends(get_runtime)
                  ) -> Response:
    content.dismiss(rt, ids, by=user.display_name)
    audit.record(rt, user, "content_inbox_dismissed", count=len(ids))
    return _inbox_done(request)


def _inbox_done(request: Request) -> Response:
    if _wants_json(request):
        return JSONResponse({"ok": True})
    return RedirectResponse("/content/inbox", status_code=303)


# Publish -----------------------------------------------------------------------------------

@router.get("/publish", response_class=HTMLResponse)
def publish_page(request: Request, user: SignedIn = Depends(editor_page),
                 jobs: PublishJobs = Depends(publish_jobs)) -> Response:
    return render(request, "content/publish.html", user, state=jobs.state(), job=jobs.latest)


@router.get("/publish.json")
def publish_status(_user: SignedIn = Depends(editor),
                   jobs: PublishJobs = Depends(publish_jobs)) -> dict:
    state = jobs.state()
    return {"live": state.live, "previous": state.previous,
            "job": jobs.latest.as_dict() if jobs.latest else None}


@router.post("/publish")
def publish(request: Request, user: SignedIn = Depends(editor),
            jobs: PublishJobs = Depends(publish_jobs), rt: Runtime = Depends(get_runtime)
            ) -> Response:
    return _start(request, rt, jobs, "publish", user)


@router.post("/rollback")
def rollback(request: Request, user: SignedIn = Depends(editor),
             jobs: PublishJobs = Depends(publish_jobs), rt: Runtime = Depends(get_runtime)
             ) -> Response:
    return _start(request, rt, jobs, "rollback", user)


def _start(request: Request, rt: Runtime, jobs: PublishJobs, kind: str, user: SignedIn
           ) -> Response:
    job = jobs.start(kind, user.display_name)
    audit.record(rt, user, f"content_{kind}_started", job=job.as_dict().get("id"))
    if _wants_json(request):
        return JSONResponse({"job": job.as_dict()}, status_code=202)
    return RedirectResponse("/content/publish", status_code=303)
