"""The content studio's side of bot/content: questions and inbox groups as shown, refusals."""

from __future__ import annotations

from bot.content import inbox
from bot.content.authoring import ChangeRefused, ContentEditor, ContentError, Question
from bot.web.errors import Problem
from bot.web.runtime import Runtime


def content_problem(exc: ContentError) -> Problem:
    if isinstance(exc, ChangeRefused):
        return Problem(422, "change_refused", "Not saved: the change would break the content.",
                       problems=[p.as_dict() for p in exc.problems])
    code = {404: "not_found", 409: "conflict"}.get(exc.status, "content_error")
    return Problem(exc.status, code, str(exc))


def messages(exc: ContentError) -> list[str]:
    """What an editor reads on the form: each check that refused the change, or the error."""
    if isinstance(exc, ChangeRefused):
        return [p.message for p in exc.problems]
    return [str(exc)]


def question_json(question: Question, editor: ContentEditor) -> dict:
    preview = editor.preview(answer=question.answer)
    return {"name": question.name, "intent": question.intent, "question": question.question,
            "answer": question.answer, "answer_html": preview.html, "words": preview.words,
            "examples": list(question.examples)}


def question_form(question: Question) -> dict:
    return {"name": question.name, "question": question.question, "answer": question.answer,
            "examples": "\n".join(question.examples)}


def show_or_none(editor: ContentEditor, name: str) -> Question | None:
    try:
        return editor.show(name)
    except ContentError:
        return None


def inbox_groups(rt: Runtime, editor: ContentEditor) -> list[dict]:
    with rt.transaction() as session:
        return [{"ids": g.ids, "text": g.text, "count": len(g.items),
                 "texts": [i.text for i in g.items], "suggested": g.suggested_intent}
                for g in inbox.open_groups(session, editor)]


def assign(rt: Runtime, editor: ContentEditor, ids: list[int], intent: str,
           example: str | None, by: str) -> None:
    with rt.transaction() as session:
        inbox.assign(session, editor, ids, intent, example, by=by)


def dismiss(rt: Runtime, ids: list[int], by: str) -> None:
    with rt.transaction() as session:
        inbox.dismiss(session, ids, by=by)
