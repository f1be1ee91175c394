"""End to end with real Rasa: resident -> bot -> escalation -> staff reply -> hand back -> bot."""

from __future__ import annotations

import pytest
import requests
from fastapi.testclient import TestClient

from bot.rasa.api_auth import api_headers
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import IN_HOURS, act, gateway_settings, say, sign_in, start_chat

pytestmark = pytest.mark.live_stack


def tracker(live_stack, conversation_id: str) -> dict:  # type: ignore[no-untyped-def]
    response = requests.get(f"{live_stack.rasa_url}/conversations/{conversation_id}/tracker",
                            headers=api_headers(live_stack.settings.rasa_api_token
                                                .get_secret_value()), timeout=30)
    response.raise_for_status()
    return response.json()


def test_escalation_round_trip_through_real_rasa(live_stack, tmp_path):
    settings = gateway_settings(tmp_path, live_stack.rasa_url, rasa_token=live_stack.rasa_token,
                                rasa_api_token=live_stack.settings.rasa_api_token,
                                rasa_timeout_seconds=60)
    app = create_app(settings, Clock(IN_HOURS))
    with TestClient(app) as client:
        agent = sign_in(app, "agent")
        cid, auth = start_chat(client)
        greeting = say(client, cid, auth, "hiya")
        assert greeting["state"] == "bot" and greeting["messages"]
        assert "automated assistant" in " ".join(m["text"] for m in greeting["messages"])

        handed = say(client, cid, auth, "put me through to an advisor")
        assert handed["state"] == "waiting_for_staff"
        [case] = agent.get("/staff/queue.json").json()["waiting"]
        assert case["conversation_id"] == cid and case["topic"] == "general"
        assert tracker(live_stack, cid)["paused"] is True

        assert act(agent, case["id"], "claim").status_code == 200
        assert say(client, cid, auth, "my bin was stolen")["state"] == "with_staff"
        user_texts = [e.get("text") for e in tracker(live_stack, cid)["events"]
                      if e["event"] == "user"]
        assert "my bin was stolen" not in user_texts
        act(agent, case["id"], "reply", text="I've ordered you a new bin.")
        history = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()
        assert history["messages"][-1]["text"] == "I've ordered you a new bin."

        assert act(agent, case["id"], "handback").status_code == 200
        assert tracker(live_stack, cid)["paused"] is False
        back = say(client, cid, auth, "what can you help with")
        assert back["state"] == "bot"
        assert "council tax" in " ".join(m["text"] for m in back["messages"])
