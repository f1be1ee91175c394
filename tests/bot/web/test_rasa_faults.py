"""What a resident reads when Rasa fails after it was ready: never silence, and a message
that Rasa never received is answered once Rasa is back."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.ops.stack import free_port
from bot.web.app import create_app
from bot.web.services.chat import CALLBACK_BUTTON, INCOMPLETE, RESTARTING
from tests.bot.web.conftest import gateway_settings, say, serve, start_chat
from tests.bot.web.fake_rasa import FakeRasa
from tests.bot.web.test_startup import quick, texts, wait_for


def test_a_turn_rasa_answers_with_nothing_gets_an_apology_with_a_call_back(client):
    cid, auth = start_chat(client)
    body = say(client, cid, auth, "say nothing")
    assert [(m["sender"], m["text"]) for m in body["messages"]] == [("system", INCOMPLETE)]
    assert body["messages"][0]["buttons"] == [CALLBACK_BUTTON]
    assert body["state"] == "bot"


def test_message_sent_while_rasa_restarts_is_answered_when_it_is_back(tmp_path, clock):
    port = free_port()
    settings = gateway_settings(tmp_path, f"http://127.0.0.1:{port}")
    with TestClient(quick(create_app(settings, clock))) as client:
        cid, auth = start_chat(client)
        with serve(FakeRasa().app, port):
            say(client, cid, auth, "hello")
        body = say(client, cid, auth, "are you there")  # Rasa has stopped
        assert [(m["sender"], m["text"]) for m in body["messages"]] == [("system", RESTARTING)]
        assert body["assistant"] == "starting"
        back = FakeRasa()
        with serve(back.app, port):
            wait_for(lambda: ("bot", "You said: are you there") in texts(client, cid, auth))
        assert back.texts_for(cid) == ["are you there"]  # sent once, when Rasa was back
