"""The chat's opening and Rasa's start-up: the welcome from the domain, messages held while
Rasa loads and answered once it is ready, and the apology if it never is."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from bot.ops.stack import free_port
from bot.web.app import create_app
from bot.web.services.chat import NOT_ANSWERED, STARTING
from bot.web.services.welcome import STARTING_WELCOME
from tests.bot.web.conftest import gateway_settings, say, serve, start_chat
from tests.bot.web.fake_rasa import WELCOME, FakeRasa


def texts(client, cid: str, auth: dict) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()
    return [(m["sender"], m["text"]) for m in body["messages"]]


def wait_for(check, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail("timed out")


def quick(app):  # type: ignore[no-untyped-def]
    app.state.runtime.held.poll_seconds = 0.05
    return app


def test_welcome_is_the_assistants_own_greeting_with_its_suggestions_and_privacy(client):
    body = client.get("/api/conversations/welcome").json()
    assert body["text"] == WELCOME["text"] and body["buttons"] == WELCOME["buttons"]
    assert body["assistant"] == "ready"
    assert body["privacy"]["url"] == "https://www.anytown.gov.uk/privacy/chat"


def test_welcome_while_rasa_loads_says_so_and_has_no_suggestions_yet(client, fake_rasa):
    fake_rasa.loading = True
    body = client.get("/api/conversations/welcome").json()
    assert (body["assistant"], body["text"], body["buttons"]) == ("starting", STARTING_WELCOME, [])
    fake_rasa.loading = False
    assert client.get("/api/conversations/welcome").json()["buttons"] == WELCOME["buttons"]


def test_message_sent_before_rasa_listens_is_answered_once_it_starts(tmp_path, clock):
    port = free_port()
    settings = gateway_settings(tmp_path, f"http://127.0.0.1:{port}")
    with TestClient(quick(create_app(settings, clock))) as client:
        cid, auth = start_chat(client)
        body = say(client, cid, auth, "when is my bin day")
        assert body["assistant"] == "starting"
        assert [(m["sender"], m["text"]) for m in body["messages"]] == [("system", STARTING)]
        later = say(client, cid, auth, "and my council tax")
        assert later["messages"] == [] and later["assistant"] == "starting"
        rasa = FakeRasa()
        with serve(rasa.app, port):
            wait_for(lambda: len(texts(client, cid, auth)) == 5)
        assert texts(client, cid, auth) == [
            ("resident", "when is my bin day"), ("system", STARTING),
            ("resident", "and my council tax"), ("bot", "You said: when is my bin day"),
            ("bot", "You said: and my council tax")]
        assert rasa.texts_for(cid) == ["when is my bin day", "and my council tax"]
        assert "assistant" not in client.get(f"/api/conversations/{cid}/messages",
                                             headers=auth).json()


def test_message_while_rasa_loads_its_model_is_answered_when_loaded(tmp_path, clock, fake_rasa):
    settings = gateway_settings(tmp_path, fake_rasa.url)  # type: ignore[attr-defined]
    with TestClient(quick(create_app(settings, clock))) as client:
        cid, auth = start_chat(client)
        fake_rasa.loading = True
        assert say(client, cid, auth, "hello")["assistant"] == "starting"
        fake_rasa.loading = False
        wait_for(lambda: ("bot", "You said: hello") in texts(client, cid, auth))


def test_held_message_gets_the_apology_if_rasa_never_becomes_ready(tmp_path, clock, fake_rasa):
    settings = gateway_settings(tmp_path, fake_rasa.url)  # type: ignore[attr-defined]
    app = quick(create_app(settings, clock))
    app.state.runtime.held.give_up_seconds = 0.2
    with TestClient(app) as client:
        cid, auth = start_chat(client)
        fake_rasa.loading = True
        say(client, cid, auth, "hello")
        wait_for(lambda: ("system", NOT_ANSWERED) in texts(client, cid, auth))
        assert fake_rasa.texts_for(cid) == []  # a loading Rasa never took it


def test_held_message_is_answered_by_the_next_gateway_after_a_restart(tmp_path, clock):
    """Held in the database, not in memory: a gateway that stops while Rasa is down loses
    nothing, and the one started after it answers once Rasa listens."""
    port = free_port()
    settings = gateway_settings(tmp_path, f"http://127.0.0.1:{port}")
    with TestClient(quick(create_app(settings, clock))) as client:
        cid, auth = start_chat(client)
        assert say(client, cid, auth, "when is my bin day")["assistant"] == "starting"
    rasa = FakeRasa()
    with serve(rasa.app, port), TestClient(quick(create_app(settings, clock))) as client:
        wait_for(lambda: ("bot", "You said: when is my bin day") in texts(client, cid, auth))
        assert rasa.texts_for(cid) == ["when is my bin day"]  # sent once, by the new gateway
        assert "assistant" not in client.get(f"/api/conversations/{cid}/messages",
                                             headers=auth).json()


def test_two_gateways_draining_one_queue_send_each_held_message_once(tmp_path, clock):
    """Both replicas' threads drain the one table: each message reaches Rasa once, in order."""
    port = free_port()
    settings = gateway_settings(tmp_path, f"http://127.0.0.1:{port}")
    with TestClient(quick(create_app(settings, clock))) as first, \
            TestClient(quick(create_app(settings, clock))) as second:
        cid, auth = start_chat(first)
        for text in ("one", "two", "three"):
            say(first, cid, auth, text)
        other, other_auth = start_chat(second)
        say(second, other, other_auth, "four")
        rasa = FakeRasa()
        with serve(rasa.app, port):
            wait_for(lambda: len(texts(first, other, other_auth)) == 3)
            wait_for(lambda: len(texts(first, cid, auth)) == 7)
        assert rasa.texts_for(cid) == ["one", "two", "three"]
        assert rasa.texts_for(other) == ["four"]
        assert [text for sender, text in texts(first, cid, auth) if sender == "bot"] == [
            "You said: one", "You said: two", "You said: three"]
