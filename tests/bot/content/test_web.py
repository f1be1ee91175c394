"""The /content studio over HTTP: editors only, the same checks as the CLI, inbox and publish."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.content import inbox
from bot.settings import Settings
from bot.web.app import create_app
from tests.bot.web.conftest import gateway_settings, sign_in

from .conftest import NOISE_EXAMPLES, TIP_EXAMPLES

PEST = {
    "name": "pest_control",
    "question": "Can the council help with pests?",
    "answer": "We treat rats, mice and wasps. [Book pest control](https://www.anytown.gov.uk/pests)",
    "examples": "\n".join([
        "i've got rats in my garden", "pest control", "there's a wasps nest in my roof",
        "how much is pest control", "we have mice in the kitchen", "can you get rid of bedbugs",
        "book the pest control service", "i think i have fleas in the house",
        "do you deal with cockroaches", "rats in the loft",
    ]),
}


@pytest.fixture
def web_settings(tmp_path: Path, project: Path) -> Settings:
    # Nothing here reaches Rasa: publishing below stops at the checks. `rasa data validate`
    # on save is tested in test_authoring; here it would only add minutes.
    return gateway_settings(tmp_path, "http://127.0.0.1:9", content_project_dir=project,
                            models_dir=tmp_path / "models", content_validate_on_save=False)


@pytest.fixture
def app(web_settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(web_settings)


@pytest.fixture
def editor(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as client:
        yield sign_in(app, "editor", client)


def post(client: TestClient, path: str, **form) -> object:
    return client.post(path, data={"csrf_token": client.csrf, **form})  # type: ignore[attr-defined]


def test_only_editors_and_admins_reach_the_studio(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as anonymous:
        assert anonymous.get("/content", follow_redirects=False).headers["location"] == (
            "/staff/login")
        assert anonymous.get("/content/questions.json").status_code == 401
    with TestClient(app) as client:
        agent = sign_in(app, "agent", client)
        assert agent.get("/content", headers={"Accept": "text/html"}).status_code == 403
        assert agent.get("/content/questions.json").status_code == 403


def test_a_question_page_asks_for_sign_in_before_saying_whether_it_exists(
    app, editor: TestClient,  # type: ignore[no-untyped-def]
) -> None:
    with TestClient(app) as anonymous:
        response = anonymous.get("/content/questions/no_such_question", follow_redirects=False)
        assert response.headers["location"] == "/staff/login"
    missing = editor.get("/content/questions/no_such_question")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_editor_lists_searches_and_reads_questions(editor: TestClient) -> None:
    page = editor.get("/content", params={"q": "noisy"}, headers={"Accept": "text/html"})
    listed = editor.get("/content/questions.json").json()["questions"]
    shown = editor.get("/content/questions/noise_complaints.json").json()

    assert "How do I report a noise problem?" in page.text
    assert "When is the recycling centre open?" not in page.text
    assert [q["name"] for q in listed] == ["hwrc_opening_times", "noise_complaints"]
    assert shown["examples"] == sorted(NOISE_EXAMPLES, key=str.lower)
    assert '<a href="https://www.anytown.gov.uk/report/noise"' in shown["answer_html"]


def test_editor_adds_a_question_which_is_written_to_the_rasa_files(
    editor: TestClient, project: Path,
) -> None:
    response = post(editor, "/content/questions", **PEST)

    assert response.status_code == 201, response.text
    assert response.json()["intent"] == "faq/pest_control"
    assert "faq/pest_control" in (project / "data/nlu/faq.yml").read_text()
    assert "utter_faq/pest_control" in (project / "data/responses/faq.yml").read_text()


def test_bad_change_is_refused_with_reasons_and_nothing_written(
    editor: TestClient, project: Path,
) -> None:
    before = (project / "data/nlu/faq.yml").read_text()
    clashing = {**PEST, "examples": PEST["examples"] + f"\n{TIP_EXAMPLES[0]}"}

    response = post(editor, "/content/questions", **clashing)
    page = editor.post("/content/questions", headers={"Accept": "text/html"},
                       data={"csrf_token": editor.csrf, **clashing})  # type: ignore[attr-defined]

    assert response.status_code == 422
    problems = response.json()["error"]["problems"]
    assert {p["code"] for p in problems} == {"duplicate_example", "similar_example"}
    assert {(p["intent"], p["example"]) for p in problems} == {
        ("faq/pest_control", TIP_EXAMPLES[0])}
    assert page.status_code == 422 and "Not saved. Fix these first:" in page.text
    assert (project / "data/nlu/faq.yml").read_text() == before


def test_changes_need_the_csrf_token(editor: TestClient, project: Path) -> None:
    response = editor.post("/content/questions", data=PEST)

    assert response.status_code == 403
    assert "pest_control" not in (project / "data/nlu/faq.yml").read_text()


def test_edit_answer_preview_and_add_examples_to_any_intent(
    editor: TestClient, project: Path,
) -> None:
    shown = editor.get("/content/questions/noise_complaints.json").json()
    new_answer = "Report noise online. [Report noise](https://www.anytown.gov.uk/noise)"

    edited = post(editor, "/content/questions/noise_complaints", question=shown["question"],
                  answer=new_answer, examples="\n".join(shown["examples"]))
    preview = post(editor, "/content/preview", answer="See [this](https://www.anytown.gov.uk/x)")
    added = post(editor, "/content/intents/greet/examples", examples="hello council\nhowdy")

    assert edited.status_code == 200 and edited.json()["answer"] == new_answer
    assert preview.json()["words"] == 2
    assert added.json()["files"] == ["data/nlu/general.yml"]
    assert "- howdy" in (project / "data/nlu/general.yml").read_text()


def test_editor_removes_a_question(editor: TestClient, project: Path) -> None:
    removed = post(editor, "/content/questions/noise_complaints/delete")

    assert removed.status_code == 200
    assert "noise_complaints" not in (project / "data/nlu/faq.yml").read_text()
    assert editor.get("/content/questions/noise_complaints.json").status_code == 404


def test_inbox_assign_and_dismiss(editor: TestClient, app, project: Path) -> None:  # type: ignore[no-untyped-def]
    runtime = app.state.runtime
    with runtime.transaction() as session:
        first = inbox.record(session, "is the tip open at christmas", "unhelpful",
                             recognise=lambda _t: []).id
        second = inbox.record(session, "my email is a@b.com help", "fallback",
                              recognise=lambda _t: []).id

    groups = editor.get("/content/inbox.json").json()["groups"]
    assigned = post(editor, "/content/inbox/assign", ids=[first],
                    intent="faq/hwrc_opening_times")
    dismissed = post(editor, "/content/inbox/dismiss", ids=[second])

    assert sorted(t for g in groups for t in g["texts"]) == [
        "is the tip open at christmas", "my email is <email> help"]
    assert assigned.status_code == 200 and dismissed.status_code == 200
    assert "is the tip open at christmas" in (project / "data/nlu/faq.yml").read_text()
    assert editor.get("/content/inbox.json").json()["groups"] == []


def test_publish_of_broken_content_fails_at_the_checks_and_shows_why(
    editor: TestClient, project: Path,
) -> None:
    responses = project / "data/responses/faq.yml"
    responses.write_text(responses.read_text().replace("(https://", "(http//"))

    started = post(editor, "/content/publish")
    deadline = time.monotonic() + 120
    while True:
        status = editor.get("/content/publish.json").json()
        if status["job"]["status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.5)

    assert started.status_code == 202
    job = status["job"]
    assert job["status"] == "failed"
    assert job["stages"][-1]["stage"] == "check" and job["stages"][-1]["status"] == "failed"
    assert "broken link" in job["error"]
    assert status["live"] == ""
    page = editor.get("/content/publish", headers={"Accept": "text/html"})
    assert "broken link" in page.text
