"""Gateway fixtures: a real fake-Rasa HTTP server, the gateway in-process and served, staff."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from bot.ops.stack import free_port
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.fake_rasa import API_TOKEN as RASA_API_TOKEN
from tests.bot.web.fake_rasa import TOKEN as RASA_TOKEN
from tests.bot.web.fake_rasa import FakeRasa

# A Tuesday morning (UTC = UK time in December): inside office hours.
IN_HOURS = datetime(2026, 12, 1, 10, 30)
# Christmas Day: a bank holiday, so nobody is on the chat.
BANK_HOLIDAY = datetime(2026, 12, 25, 10, 30)
PASSWORDS = {"agent": "agent-demo-pass", "editor": "editor-demo-pass",
             "manager": "manager-demo-pass", "admin": "admin-demo-pass"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs PostgreSQL on 127.0.0.1:5432 (db test)")
    config.addinivalue_line("markers", "live_stack: needs trained Rasa, action server, back office")


@contextmanager
def serve(app, port: int | None = None) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = port or free_port()
    # Open live streams (a browser page still on the site) are cut after 1 s, not waited on.
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on", ws="none",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # the gateway loads spaCy first: slow on a busy machine
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa()
    with serve(rasa.app) as url:
        rasa.url = url  # type: ignore[attr-defined]
        yield rasa


@pytest.fixture
def site(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(app) as url:
        yield url


def gateway_settings(tmp_path: Path, rasa_url: str, **overrides) -> Settings:
    values = {"var_dir": tmp_path, "database_url": f"sqlite:///{tmp_path / 'gateway.db'}",
              "rasa_url": rasa_url, "rasa_token": RASA_TOKEN, "rasa_api_token": RASA_API_TOKEN,
              "rasa_timeout_seconds": 3.0,
              "secret_key": "test-secret-key"}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def clock() -> Clock:
    return Clock(IN_HOURS)


@pytest.fixture
def settings(tmp_path: Path, fake_rasa: FakeRasa) -> Settings:
    return gateway_settings(tmp_path, fake_rasa.url)  # type: ignore[attr-defined]


@pytest.fixture
def app(settings: Settings, clock: Clock):  # type: ignore[no-untyped-def]
    return create_app(settings, clock)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


def start_chat(client) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    body = client.post("/api/conversations").json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def say(client, conversation_id: str, headers: dict, text: str) -> dict:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/conversations/{conversation_id}/messages",
                           json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def sign_in(app, username: str, client: TestClient | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    """A staff browser: its own cookie jar, signed in, CSRF token in `client.csrf`."""
    client = client or TestClient(app)
    page = client.get("/staff/login")
    login_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/staff/login", data={"username": username,
                           "password": PASSWORDS[username], "csrf_token": login_csrf},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    page_text = client.get("/staff").text  # editors get a 403 page, which still has the token
    client.csrf = re.search(r'data-csrf="([^"]+)"', page_text).group(1)  # type: ignore[attr-defined]
    client.headers["Accept"] = "application/json"
    return client


def act(staff: TestClient, escalation_id: int, action: str, **form) -> httpx.Response:
    return staff.post(f"/staff/cases/{escalation_id}/{action}",
                      data={"csrf_token": staff.csrf, **form})  # type: ignore[attr-defined]


def read_events(response: httpx.Response, count: int, timeout: float = 10.0) -> list[dict]:
    """Parse `count` SSE message events from a streaming response."""
    events: list[dict] = []
    current: dict = {}
    deadline = time.monotonic() + timeout
    # One line iterator per response, so a test can read a stream in several steps.
    if not hasattr(response, "sse_lines"):
        response.sse_lines = response.iter_lines()  # type: ignore[attr-defined]
    for line in response.sse_lines:  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            break
        if line.startswith("id:"):
            current["id"] = line[3:].strip()
        elif line.startswith("event:"):
            current["event"] = line[6:].strip()
        elif line.startswith("data:"):
            current["data"] = json.loads(line[5:].strip())
        elif line == "" and current:
            events.append(current)
            current = {}
            if len(events) >= count:
                break
    return events
