"""Insight events from real conversations with the real Rasa: a bin day journey completed,
then an escalation answered by staff (the turn summary comes from bot/rasa/channel.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.insights.models import InsightEvent
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import IN_HOURS, act, gateway_settings, sign_in, start_chat

pytestmark = pytest.mark.live_stack


def test_a_completed_journey_and_an_answered_escalation_are_recorded(live_stack, tmp_path):
    settings = gateway_settings(tmp_path, live_stack.rasa_url, rasa_token=live_stack.rasa_token,
                                rasa_timeout_seconds=60)
    app = create_app(settings, Clock(IN_HOURS))
    with TestClient(app) as client:
        agent = sign_in(app, "agent")
        cid, auth = start_chat(client)
        url = f"/api/conversations/{cid}/messages"

        def send(**body) -> dict:  # type: ignore[no-untyped-def]
            response = client.post(url, json=body, headers=auth)
            assert response.status_code == 200, response.text
            return response.json()

        send(text="when is my bin day")
        listed = send(text="AN1 1AA")
        address = next(b for m in listed["messages"] for b in m["buttons"])
        done = send(payload=address["payload"], text=address["title"])
        assert "Collections at" in " ".join(m["text"] for m in done["messages"])
        assert not any("turn" in str(m) for m in done["messages"])  # never shown or stored
        assert send(text="put me through to an advisor")["state"] == "waiting_for_staff"
        [case] = agent.get("/staff/queue.json").json()["waiting"]
        act(agent, case["id"], "claim")
        act(agent, case["id"], "reply", text="Hello, I can help.")

    with app.state.runtime.transaction() as session:
        rows = session.scalars(select(InsightEvent).where(
            InsightEvent.conversation_id == cid).order_by(InsightEvent.id)).all()
        seen = [(r.kind, r.name, r.detail) for r in rows]
    assert ("intent", "bin_day", None) in seen
    assert ("journey_started", "bin_day_form", None) in seen
    assert ("journey_step", "bin_day_form", "postcode") in seen
    assert ("journey_completed", "bin_day_form", None) in seen
    assert ("intent", "request_human", None) in seen
    assert [k for k, _n, _d in seen if k in ("escalated", "staff_first_reply")] == [
        "escalated", "staff_first_reply"]
    assert {r.service for r in rows if r.kind.startswith("journey")} == {"waste"}
