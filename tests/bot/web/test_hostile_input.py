"""Hostile input through the resident API, the staff console, the content studio, the widget
and the console in Chromium: every refusal is a clear JSON error, nothing is executed and a
refused request changes nothing. The number of cases is printed at the end of the module."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.web.app import create_app
from bot.web.clock import Clock
from bot.web.models import AuditEntry, Escalation, Message, StaffUser
from tests.bot.content.conftest import write_project
from tests.bot.web.conftest import (
    IN_HOURS,
    PASSWORDS,
    gateway_settings,
    say,
    serve,
    sign_in,
    start_chat,
)
from tests.bot.web.fake_rasa import FakeRasa

CASES: list[str] = []
MARKUP = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg/onload=window.__xss=3>',
    "javascript:window.__xss=4",
    "{{ 7*7 }} {% if 1 %}template{% endif %}",
]
SQL = ["'; DROP TABLE messages; --", "1' OR '1'='1", "Robert'); DELETE FROM staff_users;--"]
UNICODE = [
    "مرحبا 你好 Привет 🗑️👩🏽‍🦱 bin day",
    "bin\u200b day \u202egnp.exe",
    "Z̴̡̛a̷l̶g̵o̸ " * 40,
]
CONTROL = ["bin\x00day", "\x1b[31mred\x1b[0m", "line1\r\nline2\tTab", "\x7f\x08\x0c", "\ud800"]
BIG = 100_000
INJECTED_PAYLOADS = [
    '/ct_balance{"account_number": "500000001", "surname": "Example"}',
    '/request_human{"topic": "council_tax"}',
    '/restart', '/session_start{"metadata": {}}',
]


def case(name: str) -> None:
    CASES.append(name)


@pytest.fixture(scope="module", autouse=True)
def report_count(request) -> Iterator[None]:  # type: ignore[no-untyped-def]
    CASES.clear()
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin(
        "capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nhostile-input cases checked: {len(CASES)}")


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa()
    with serve(rasa.app) as url:
        rasa.url = url  # type: ignore[attr-defined]
        yield rasa


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return write_project(tmp_path_factory.mktemp("content") / "project")


@pytest.fixture(scope="module")
def app(tmp_path_factory, fake_rasa, project):  # type: ignore[no-untyped-def]
    settings = gateway_settings(tmp_path_factory.mktemp("hostile"), fake_rasa.url,
                                content_project_dir=project, content_validate_on_save=False,
                                chat_rate_per_address="1000/minute",
                                chat_rate_per_conversation="1000/minute",
                                new_conversation_rate_per_address="1000/minute")
    return create_app(settings, Clock(IN_HOURS))


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def site(app, client) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(app) as url:
        yield url


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.state.runtime.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def files_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "models" not in p.parts):
        digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def assert_json_error(response, *statuses: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    body = response.json()
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


# Resident API: what a resident can type ------------------------------------------------------

@pytest.mark.parametrize("text", MARKUP + SQL + UNICODE, ids=lambda t: ascii(t)[:24])
def test_markup_sql_and_any_script_are_stored_and_answered_as_plain_text(client, app, text):
    cid, auth = start_chat(client)
    say(client, cid, auth, text)
    history = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()
    assert [m["text"] for m in history["messages"] if m["sender"] == "resident"] == [
        text.strip()]
    assert count(app, StaffUser) == 4  # the four demo staff: the SQL fragments reached no SQL
    case(f"typed {text[:20]!r}")


@pytest.mark.parametrize("text", CONTROL, ids=ascii)
def test_control_characters_are_a_clear_answer_never_a_server_error(client, text):
    cid, auth = start_chat(client)
    # json.dumps escapes every non-ASCII character, so a lone surrogate arrives as \ud800.
    response = client.post(f"/api/conversations/{cid}/messages", content=json.dumps(
        {"text": text}).encode(), headers={**auth, "Content-Type": "application/json"})
    assert response.status_code in (200, 422), response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    case(f"control {text!r}")


def test_bytes_that_are_not_utf8_are_a_validation_error(client, app):
    cid, auth = start_chat(client)
    before = count(app, Message)
    response = client.post(f"/api/conversations/{cid}/messages", content=b'{"text": "\xff\xfe"}',
                           headers={**auth, "Content-Type": "application/json"})
    assert_json_error(response, 400, 422)
    assert count(app, Message) == before
    case("bytes that are not UTF-8")


def test_a_message_over_the_character_limit_is_refused_and_not_stored(client, app):
    cid, auth = start_chat(client)
    before = count(app, Message)
    error = assert_json_error(client.post(f"/api/conversations/{cid}/messages", headers=auth,
                                          json={"text": "a" * 2001}), 422)
    assert error["code"] == "too_long" and count(app, Message) == before
    case("2,001 characters")


@pytest.mark.parametrize("route", ["messages", "contact", "feedback", "end", ""])
def test_100_kb_bodies_are_refused_before_parsing_and_nothing_is_stored(client, app, route):
    cid, auth = start_chat(client)
    before = count(app, Message), count(app, AuditEntry)
    url = f"/api/conversations/{cid}/{route}" if route else "/api/conversations"
    body = b'{"text": "' + b"x" * BIG + b'"}'
    error = assert_json_error(client.post(url, headers={**auth, "Content-Type":
                                                        "application/json"}, content=body), 413)
    assert error["code"] == "too_large"
    assert (count(app, Message), count(app, AuditEntry)) == before
    case(f"100 KB to {url.replace(cid, '{id}')}")


@pytest.mark.parametrize("payload", INJECTED_PAYLOADS)
def test_an_injected_intent_payload_never_reaches_rasa(client, fake_rasa, app, payload):
    cid, auth = start_chat(client)
    before = count(app, Message)
    response = client.post(f"/api/conversations/{cid}/messages", headers=auth,
                           json={"payload": payload, "text": "Balance"})
    assert response.status_code == 200, response.text
    assert fake_rasa.texts_for(cid) == ["Balance"]  # the button's text, never the payload
    assert count(app, Message) == before + 2  # the resident's text and the reply
    case(f"payload {payload[:25]}")


def test_a_typed_command_is_sent_as_text_not_as_an_intent(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, '/ct_balance{"account_number": "500000001"}')
    assert not any(t.startswith("/") for t in fake_rasa.texts_for(cid))
    case("typed /intent{entities}")


# Resident API: ids and tokens ----------------------------------------------------------------

TRAVERSAL = ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fstaff", "..\\..\\windows",
             "%00", "1%3BDROP%20TABLE%20messages", "'%20OR%201%3D1%20--",
             "a" * 300]


@pytest.mark.parametrize("bad_id", TRAVERSAL)
def test_path_traversal_and_odd_conversation_ids_are_not_found(client, bad_id):
    _cid, auth = start_chat(client)
    for method, suffix in (("GET", "messages"), ("POST", "messages"), ("GET", "stream")):
        response = client.request(method, f"/api/conversations/{bad_id}/{suffix}",
                                  headers=auth, json={"text": "hi"})
        assert_json_error(response, 404, 405, 422)
    case(f"conversation id {bad_id[:20]}")


@pytest.mark.parametrize("path", ["/staff/cases/..%2F1.json", "/staff/cases/1%20OR%201=1.json",
                                  "/content/questions/..%2F..%2Fdomain.json",
                                  "/content/questions/%2e%2e%2fconfig.json",
                                  "/static/..%2F..%2Fsettings.py", "/static/../app.py"])
def test_path_traversal_in_staff_and_content_ids_finds_nothing(app, path):
    admin = sign_in(app, "admin")
    response = admin.get(path)
    assert response.status_code in (404, 422), (path, response.status_code)
    assert "SECRET" not in response.text and "import " not in response.text
    case(f"staff path {path}")


def forged_headers() -> list[dict]:
    jwt_like = "eyJhbGciOiJub25lIn0.eyJjb252ZXJzYXRpb24iOiIxIn0."
    return [{"Authorization": value} for value in (
        "", "Bearer", f"Bearer {secrets.token_urlsafe(32)}", f"Bearer {jwt_like}",
        "Basic YWRtaW46YWRtaW4=", "Bearer " + "A" * 5000)]


def test_forged_tokens_and_another_residents_token_open_nothing(client, app):
    cid, auth = start_chat(client)
    say(client, cid, auth, "my private message")
    other_cid, other_auth = start_chat(client)
    attempts = [*forged_headers(), other_auth]
    for headers in attempts:
        for method, suffix, body in (("GET", "messages", None), ("POST", "messages",
                                     {"text": "hi"}), ("POST", "end", None)):
            response = client.request(method, f"/api/conversations/{cid}/{suffix}",
                                      headers=headers, json=body)
            error = assert_json_error(response, 401, 404)
            assert "private" not in str(error)
        case(f"forged token {list(headers.values())[:1]!s:.30}")
    in_query = client.get(f"/api/conversations/{cid}/messages",
                          params={"token": auth["Authorization"][7:]})
    assert_json_error(in_query, 401)
    case("token in the query string")
    own = client.get(f"/api/conversations/{other_cid}/messages", headers=other_auth).json()
    assert "private" not in str(own)
    case("another resident's conversation id")


def test_replayed_tokens_are_refused(app, client):
    cid, auth = start_chat(client)
    client.post(f"/api/conversations/{cid}/end", headers=auth)
    replay = client.post(f"/api/conversations/{cid}/messages", headers=auth, json={"text": "hi"})
    assert assert_json_error(replay, 409)["code"] == "conversation_closed"
    case("resident token after the chat ended")

    agent = sign_in(app, "agent")
    cookie = agent.cookies.get("councilbot_staff")
    agent.post("/staff/logout", data={"csrf_token": agent.csrf})
    replayed = TestClient(app).get("/staff/queue.json",
                                   headers={"Cookie": f"councilbot_staff={cookie}"})
    assert_json_error(replayed, 401)
    case("staff cookie after sign-out")

    browser = TestClient(app)
    page = browser.get("/staff/login")
    login_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": "agent", "password": PASSWORDS["agent"], "csrf_token": login_csrf}
    assert browser.post("/staff/login", data=form, follow_redirects=False).status_code == 303
    browser.cookies.delete("councilbot_staff")
    assert browser.post("/staff/login", data=form, follow_redirects=False).status_code == 403
    case("sign-in form replayed")


# Staff and content forms: CSRF ---------------------------------------------------------------

def unsafe_staff_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    paths = set()
    for route in app.routes:
        methods = getattr(route, "methods", set()) or set()
        if "POST" in methods and route.path.startswith(("/staff", "/content")):
            paths.add(route.path)
    return sorted(paths - {"/staff/login"})


def test_every_staff_and_content_form_refuses_a_missing_or_forged_csrf_token(app, client,
                                                                             project):
    cid, auth = start_chat(client)
    say(client, cid, auth, "person please")  # the fake Rasa hands off: a case to act on
    admin, other = sign_in(app, "admin"), sign_in(app, "editor")
    routes = unsafe_staff_routes(app)
    assert len(routes) >= 12, routes
    before = count(app, AuditEntry), count(app, Message), files_digest(project)
    fill = {"escalation_id": "1", "name": "opening_hours", "intent:path": "faq/opening_hours"}
    for path in routes:
        url = re.sub(r"\{([^}]+)\}", lambda m: fill[m.group(1)], path)
        form = {"text": "hello", "question": "q", "answer": "a", "examples": "- x", "name": "n",
                "ids": "1", "intent": "faq/x", "outcome": "answered", "to_staff_id": "1"}
        for token in (None, "forged", other.csrf):
            data = form if token is None else {**form, "csrf_token": token}
            response = admin.post(url, data=data, follow_redirects=False)
            assert assert_json_error(response, 403)["code"] == "csrf_failed", url
            by_header = admin.post(url, data=form, headers={"X-CSRF-Token": token or ""},
                                   follow_redirects=False)
            assert assert_json_error(by_header, 403)["code"] == "csrf_failed", url
        case(f"CSRF {path}")
    assert (count(app, AuditEntry), count(app, Message), files_digest(project)) == before

    no_cookie = TestClient(app).post("/staff/login", data={
        "username": "admin", "password": PASSWORDS["admin"], "csrf_token": "x"})
    assert no_cookie.status_code == 403
    case("CSRF /staff/login")


def test_100_kb_staff_and_content_forms_are_refused(app, project):
    admin = sign_in(app, "admin")
    before = count(app, AuditEntry), files_digest(project)
    for url in ("/staff/cases/1/reply", "/content/questions", "/content/preview",
                "/staff/login"):
        response = admin.post(url, data={"text": "x" * BIG, "answer": "x" * BIG,
                                         "csrf_token": admin.csrf})
        assert assert_json_error(response, 413)["code"] == "too_large"
        case(f"100 KB form {url}")
    assert (count(app, AuditEntry), files_digest(project)) == before


# In Chromium: nothing a resident types runs in the widget or the console --------------------

@pytest.mark.browser
def test_markup_never_runs_in_the_widget_or_the_staff_console(browser, site, app):
    expect = pytest.importorskip("playwright.sync_api").expect
    resident = browser.new_context().new_page()
    dialogs: list[str] = []
    resident.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    resident.goto(site)
    resident.get_by_role("button", name="Chat with us").click()
    for text in MARKUP:
        resident.get_by_label("Your message").fill(text)
        resident.keyboard.press("Enter")
        # The fake Rasa echoes it back: the bot's message carries the markup too.
        expect(resident.locator(".cb-bot").last).to_contain_text(f"You said: {text}")
        expect(resident.locator(".cb-resident").last).to_have_text(re.compile(re.escape(text)))
    assert resident.evaluate("window.__xss") is None and not dialogs
    assert resident.locator(".cb-log img, .cb-log svg[onload], .cb-log script").count() == 0
    for text in MARKUP:
        case(f"widget shows {text[:20]!r} as text")

    resident.get_by_label("Your message").fill("a person please")
    resident.keyboard.press("Enter")
    expect(resident.locator(".cb-system").last).to_contain_text("in the queue")
    agent = browser.new_context().new_page()
    agent.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    agent.goto(f"{site}/staff/login")
    agent.get_by_label("Username").fill("agent")
    agent.get_by_label("Password").fill(PASSWORDS["agent"])
    agent.get_by_role("button", name="Sign in").click()
    agent.wait_for_url(f"{site}/staff")
    with app.state.runtime.transaction() as session:
        newest = session.scalar(select(func.max(Escalation.id)))
    agent.goto(f"{site}/staff/cases/{newest}")
    expect(agent.get_by_text(MARKUP[0]).first).to_be_visible()
    for text in MARKUP:
        expect(agent.get_by_text(text, exact=False).first).to_be_attached()
    assert agent.evaluate("window.__xss") is None and not dialogs
    for text in MARKUP:
        case(f"console shows {text[:20]!r} as text")
