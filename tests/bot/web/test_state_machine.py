"""The conversation state machine: bot -> waiting_for_staff -> with_staff -> bot or closed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import BANK_HOLIDAY, act, say, sign_in, start_chat


def messages(client, cid, auth):  # type: ignore[no-untyped-def]
    return client.get(f"/api/conversations/{cid}/messages", headers=auth).json()["messages"]


def escalate(client, app):  # type: ignore[no-untyped-def]
    """A resident asks for a person while an agent is signed in; returns ids and the agent."""
    agent = sign_in(app, "agent")
    cid, auth = start_chat(client)
    say(client, cid, auth, "hello")
    body = say(client, cid, auth, "can I speak to a person")
    [case] = agent.get("/staff/queue.json").json()["waiting"]
    return cid, auth, case, agent, body


def test_handoff_payload_opens_escalation_and_waits_for_staff(client, app):
    cid, _auth, case, _agent, body = escalate(client, app)
    assert body["state"] == "waiting_for_staff"
    assert [m["sender"] for m in body["messages"]] == ["bot", "system"]
    assert "number 1 in the queue" in body["messages"][1]["text"]
    assert case["conversation_id"] == cid and case["kind"] == "live"
    assert (case["topic"], case["priority"], case["verified"]) == ("council_tax", "normal", True)
    assert case["references"] == {"account_number": "500000001"}


def test_messages_while_waiting_or_with_staff_never_reach_rasa(client, app, fake_rasa):
    cid, auth, case, agent, _body = escalate(client, app)
    waiting = say(client, cid, auth, "are you there?")
    assert waiting == {"messages": [], "state": "waiting_for_staff",
                       "received": waiting["received"]}
    act(agent, case["id"], "claim")
    assert say(client, cid, auth, "my account is 500000001")["state"] == "with_staff"
    assert fake_rasa.texts_for(cid) == ["hello", "can I speak to a person"]
    transcript = agent.get(f"/staff/cases/{case['id']}.json").json()["messages"]
    assert [m["text"] for m in transcript if m["sender"] == "resident"][-2:] == [
        "are you there?", "my account is 500000001"]


def test_claim_reply_and_hand_back_return_the_resident_to_rasa(client, app, fake_rasa):
    cid, auth, case, agent, _body = escalate(client, app)
    assert act(agent, case["id"], "claim").status_code == 200
    joined = messages(client, cid, auth)[-1]
    assert joined["text"] == "Priya from the council has joined the chat."
    reply = act(agent, case["id"], "reply", text="Hello, how can I help?")
    assert reply.json()["message"]["sender"] == "staff"
    seen = messages(client, cid, auth)[-1]
    assert (seen["sender"], seen["text"], seen["author"]) == (
        "staff", "Hello, how can I help?", "Priya")
    assert act(agent, case["id"], "handback").status_code == 200
    assert fake_rasa.resumed == [cid]
    assert messages(client, cid, auth)[-1]["text"].startswith("You're back with the automated")
    back = say(client, cid, auth, "when is my bin day")
    assert back["state"] == "bot"
    assert back["messages"][0]["text"] == "You said: when is my bin day"


def test_hand_back_while_rasa_fails_resumes_before_the_next_message(client, app, fake_rasa):
    cid, auth, case, agent, _body = escalate(client, app)
    act(agent, case["id"], "claim")
    fake_rasa.fail_resume = True
    assert act(agent, case["id"], "handback").status_code == 200
    assert fake_rasa.resumed == []
    fake_rasa.fail_resume = False
    back = say(client, cid, auth, "thanks")
    assert fake_rasa.resumed == [cid]
    assert back["messages"][0]["text"] == "You said: thanks"


def test_resolve_closes_the_conversation_with_an_outcome(client, app):
    cid, auth, case, agent, _body = escalate(client, app)
    act(agent, case["id"], "claim")
    assert act(agent, case["id"], "resolve", outcome="made_up").status_code == 422
    assert act(agent, case["id"], "resolve", outcome="answered").status_code == 200
    assert client.get(f"/api/conversations/{cid}/messages",
                      headers=auth).json()["state"] == "closed"
    assert agent.get(f"/staff/cases/{case['id']}.json").json()["escalation"]["outcome"] == (
        "answered")


def test_no_agent_signed_in_turns_the_escalation_into_a_call_back(client, app):
    cid, auth = start_chat(client)
    body = say(client, cid, auth, "I want a person")
    assert body["state"] == "waiting_for_staff"
    assert body["messages"][-1]["form"] == "contact"
    assert "we'll contact you by 5pm on Wednesday 2 December" in body["messages"][-1]["text"]
    admin = sign_in(app, "admin")
    [case] = admin.get("/staff/queue.json").json()["waiting"]
    assert case["kind"] == "callback" and case["has_contact"] is False


def test_out_of_hours_asks_for_contact_details_and_records_them(settings, fake_rasa):
    app = create_app(settings, Clock(BANK_HOLIDAY))
    with TestClient(app) as client:
        agent = sign_in(app, "agent")
        cid, auth = start_chat(client)
        body = say(client, cid, auth, "person please")
        # Boxing Day 2026 is a Saturday, so its bank holiday is Monday 28 December.
        assert "5pm on Tuesday 29 December" in body["messages"][-1]["text"]
        url = f"/api/conversations/{cid}/contact"
        assert client.post(url, json={"name": "Alex"}, headers=auth).status_code == 422
        assert client.post(url, json={"phone": "call me"}, headers=auth).status_code == 422
        saved = client.post(url, json={"name": "Alex Example", "phone": "01632 960 001",
                                       "best_time": "mornings"}, headers=auth)
        assert saved.status_code == 200
        [case] = agent.get("/staff/queue.json").json()["waiting"]
        detail = agent.get(f"/staff/cases/{case['id']}.json").json()
        assert detail["contact"] == {"name": "Alex Example", "phone": "01632 960 001",
                                     "email": None, "best_time": "mornings"}
        audit = sign_in(app, "admin").get("/staff/audit.json").json()["entries"]
        assert "01632" not in str(audit) and "Alex" not in str(audit)


def test_resident_ending_chat_keeps_call_back_task_but_drops_a_live_wait(client, app):
    cid, auth, case, agent, _body = escalate(client, app)
    client.post(f"/api/conversations/{cid}/end", headers=auth)
    assert agent.get("/staff/queue.json").json()["waiting"] == []
    other, other_auth = start_chat(client)
    agent.post("/staff/logout", data={"csrf_token": agent.csrf})
    say(client, other, other_auth, "a person please")
    client.post(f"/api/conversations/{other}/contact", json={"email": "alex@example.com"},
                headers=other_auth)
    client.post(f"/api/conversations/{other}/end", headers=other_auth)
    admin = sign_in(app, "admin")
    [task] = admin.get("/staff/queue.json").json()["waiting"]
    assert task["conversation_id"] == other and task["has_contact"] is True
