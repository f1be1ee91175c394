"""Staff sign-in, CSRF, roles, the queue, claims, transfers, notes, masking and the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.web.data import conversations as conv_data
from bot.web.models import Escalation, Message, Note
from tests.bot.web.conftest import PASSWORDS, act, say, sign_in, start_chat


def login(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/staff/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/staff/login", data={"username": username, "password": password,
                                              "csrf_token": token}, follow_redirects=False)


def waiting_case(client, app, text="a person please"):  # type: ignore[no-untyped-def]
    agent = sign_in(app, "agent")
    cid, auth = start_chat(client)
    say(client, cid, auth, text)
    return cid, auth, agent, agent.get("/staff/queue.json").json()["waiting"][-1]


def test_session_cookie_is_httponly_and_samesite_strict(app):
    response = login(TestClient(app), "agent", PASSWORDS["agent"])
    cookie = response.headers["set-cookie"]
    assert "councilbot_staff=" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()


def test_console_redirects_to_sign_in_and_api_needs_a_session(app):
    anonymous = TestClient(app)
    assert anonymous.get("/staff", follow_redirects=False).headers["location"] == "/staff/login"
    assert anonymous.get("/staff/queue.json").status_code == 401


def test_five_failures_lock_out_that_username_from_that_address_only(app):
    browser = TestClient(app)
    for _ in range(4):
        assert login(browser, "agent", "wrong-password").status_code == 401
    locked = login(browser, "agent", "wrong-password")
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text
    assert login(browser, "agent", PASSWORDS["agent"]).status_code == 429
    # The real agent, from their own desk, still signs in.
    at_desk = TestClient(app, client=("10.1.2.3", 50000))
    assert login(at_desk, "agent", PASSWORDS["agent"]).status_code == 303
    actions = [e["action"] for e in sign_in(app, "admin").get("/staff/audit.json").json()[
        "entries"]]
    assert actions.count("login_failed") == 5 and "locked_out" in actions
    assert "login_refused_locked" in actions


def test_an_unknown_username_is_answered_exactly_like_a_known_one(app):
    known, unknown = TestClient(app), TestClient(app)
    for _ in range(5):
        a = login(known, "agent", "wrong-password")
        b = login(unknown, "nobody-here", "wrong-password")
        assert a.status_code == b.status_code
        assert _message(a.text) == _message(b.text)
    assert login(unknown, "nobody-here", "anything at all").status_code == 429


def _message(page: str) -> str:
    return re.search(r'id="login-error">.*?<p>([^<]*)</p>', page, re.S).group(1)


def test_a_session_left_idle_ends(app, clock):
    agent = sign_in(app, "agent")
    assert agent.get("/staff/queue.json").status_code == 200
    clock.pinned += timedelta(minutes=31)
    assert agent.get("/staff/queue.json").status_code == 401
    actions = [e["action"] for e in sign_in(app, "admin").get("/staff/audit.json").json()[
        "entries"]]
    assert "session_idle_timeout" in actions


def test_login_without_its_csrf_cookie_is_refused(app):
    browser = TestClient(app)
    response = browser.post("/staff/login", data={"username": "agent", "csrf_token": "x",
                                                  "password": PASSWORDS["agent"]})
    assert response.status_code == 403


def test_actions_without_the_csrf_token_are_refused(client, app):
    _cid, _auth, agent, case = waiting_case(client, app)
    refused = agent.post(f"/staff/cases/{case['id']}/claim", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    assert agent.get("/staff/queue.json").json()["waiting"][0]["status"] == "waiting"
    by_header = agent.post(f"/staff/cases/{case['id']}/claim",
                           headers={"X-CSRF-Token": agent.csrf})
    assert by_header.status_code == 200


def test_roles_editor_has_no_queue_and_only_admin_reads_the_audit_log(app):
    editor = sign_in(app, "editor")
    assert editor.get("/staff/queue.json").status_code == 403
    assert editor.get("/staff").status_code == 403
    assert sign_in(app, "agent").get("/staff/audit.json").status_code == 403
    assert sign_in(app, "admin").get("/staff/audit.json").status_code == 200


def test_second_claim_is_refused(client, app):
    _cid, _auth, agent, case = waiting_case(client, app)
    other = sign_in(app, "admin")
    assert act(agent, case["id"], "claim").status_code == 200
    refused = act(other, case["id"], "claim")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "already_claimed"


def test_only_the_claiming_agent_replies_until_transferred(client, app):
    from bot.web.cli import add_staff

    add_staff(app.state.runtime.settings, username="sam", display_name="Sam Second",
              role="agent", password="sam-agent-password")
    cid, auth, agent, case = waiting_case(client, app)
    assert act(agent, case["id"], "reply", text="too early").status_code == 409
    act(agent, case["id"], "claim")
    sam_id = next(a["id"] for a in agent.get(f"/staff/cases/{case['id']}.json").json()[
        "agents"] if a["name"] == "Sam Second")
    assert act(agent, case["id"], "transfer", to_staff_id=sam_id).status_code == 200
    assert act(agent, case["id"], "reply", text="still me?").status_code == 409
    sam = TestClient(app)
    assert login(sam, "sam", "sam-agent-password").status_code == 303
    sam.csrf = re.search(r'data-csrf="([^"]+)"', sam.get("/staff").text).group(1)
    sam.headers["Accept"] = "application/json"
    assert act(sam, case["id"], "reply", text="Sam here").status_code == 200
    texts = [m["text"] for m in client.get(f"/api/conversations/{cid}/messages",
                                           headers=auth).json()["messages"]]
    assert texts[-2:] == ["Sam from the council is taking over this chat.", "Sam here"]


def test_queue_puts_safeguarding_first_then_priority_then_longest_wait(client, app, fake_rasa):
    agent = sign_in(app, "agent")
    order = []
    for priority, safeguarding in (("normal", False), ("high", False), ("urgent", False),
                                   ("normal", True), ("high", False)):
        fake_rasa.handoff["handoff"].update(priority=priority, safeguarding=safeguarding)
        cid, auth = start_chat(client)
        say(client, cid, auth, "person")
        order.append(cid)
    waiting = [e["conversation_id"] for e in agent.get("/staff/queue.json").json()["waiting"]]
    assert waiting == [order[3], order[2], order[1], order[4], order[0]]


def test_transcript_for_staff_masks_card_and_bank_details_not_names(client, app):
    cid, auth, agent, case = waiting_case(client, app)
    # Stored before the gateway removed card and bank details: staff still see them masked.
    rt = app.state.runtime
    with rt.transaction() as session:
        conv_data.add_message(session, cid, "resident", "I'm Alex Example, card "
                              "4111 1111 1111 1111, sort code 12-34-56", rt.clock.now())
    staff_view = agent.get(f"/staff/cases/{case['id']}.json").json()["messages"][-1]["text"]
    assert staff_view == "I'm Alex Example, card [card ending 1111], sort code [hidden]"
    page = agent.get(f"/staff/cases/{case['id']}").text
    assert "4111 1111" not in page and "Alex Example" in page
    own = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert "4111 1111 1111 1111" in own[-1]["text"]


def test_card_typed_now_never_reaches_staff_or_the_transcript(client, app):
    cid, auth, agent, case = waiting_case(client, app)
    say(client, cid, auth, "I'm Alex Example, card 4111 1111 1111 1111, sort code 12-34-56")
    expected = "I'm Alex Example, card [card number removed], sort code [bank details removed]"
    staff_view = agent.get(f"/staff/cases/{case['id']}.json").json()["messages"][-1]["text"]
    assert staff_view == expected
    own = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert own[-1]["text"] == expected


def test_notes_saved_replies_and_every_action_is_audited(client, app):
    _cid, _auth, agent, case = waiting_case(client, app)
    act(agent, case["id"], "claim")
    act(agent, case["id"], "notes", text="Resident sounded worried about arrears.")
    act(agent, case["id"], "reply", text="Hello")
    act(agent, case["id"], "handback")
    detail = agent.get(f"/staff/cases/{case['id']}.json").json()
    assert [n["text"] for n in detail["notes"]] == ["Resident sounded worried about arrears."]
    assert "Greeting" in [r["title"] for r in detail["saved_replies"]]
    entries = sign_in(app, "admin").get("/staff/audit.json").json()["entries"]
    mine = [e["action"] for e in entries if e["escalation_id"] == case["id"]]
    assert mine == ["case_viewed", "hand_back", "reply", "note", "claim", "escalation_opened"]
    viewed = next(e for e in entries if e["action"] == "case_viewed")
    assert viewed["detail"] == {"via": "json"} and viewed["staff"] == "agent"
    assert "arrears" not in str(entries)


def test_sign_out_ends_the_session(app):
    agent = sign_in(app, "agent")
    assert agent.post("/staff/logout", data={"csrf_token": agent.csrf}).status_code == 200
    assert agent.get("/staff/queue.json").status_code == 401


def test_editors_land_on_the_content_area_and_agents_on_the_queue(app):  # type: ignore[no-untyped-def]
    for username, home in (("editor", "/content"), ("agent", "/staff")):
        browser = TestClient(app)
        page = browser.get("/staff/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = browser.post("/staff/login", data={
            "username": username, "password": PASSWORDS[username], "csrf_token": token},
            follow_redirects=False)
        assert response.headers["location"] == home


def test_card_numbers_in_staff_replies_notes_and_contact_details_are_removed(client, app):
    cid, auth, agent, case = waiting_case(client, app)
    act(agent, case["id"], "claim")
    act(agent, case["id"], "reply", text="Was it card 4111 1111 1111 1111?")
    act(agent, case["id"], "notes", text="Resident read out sort code 12-34-56")
    client.post(f"/api/conversations/{cid}/contact", headers=auth, json={
        "name": "Alex 4111 1111 1111 1111", "phone": "07700 900123",
        "best_time": "after 5, account 12345678 sort code 12-34-56"})
    with app.state.runtime.transaction() as session:  # what is stored, not what is shown
        stored = " ".join(str(row) for model in (Message, Note, Escalation)
                          for row in session.execute(select(model.__table__)))
    assert "4111 1111" not in stored and "12-34-56" not in stored and "12345678" not in stored
    assert "[card number removed]" in stored and "07700 900123" in stored
