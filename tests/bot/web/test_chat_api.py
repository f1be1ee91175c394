"""The resident chat API: shapes, history, limits and refusals (docs/contract.md section 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.ops.stack import free_port
from bot.web.app import create_app
from tests.bot.web.conftest import gateway_settings, say, serve, start_chat
from tests.bot.web.fake_rasa import FakeRasa


def history(client, conversation_id, headers, after="0"):  # type: ignore[no-untyped-def]
    return client.get(f"/api/conversations/{conversation_id}/messages",
                      params={"after": after}, headers=headers)


def test_new_conversation_returns_id_and_unguessable_token(client):
    response = client.post("/api/conversations")
    assert response.status_code == 201
    body = response.json()
    assert len(body["conversation_id"]) == 32 and len(body["token"]) >= 40
    assert body["token"] != client.post("/api/conversations").json()["token"]


def test_message_goes_to_rasa_and_both_sides_are_kept(client, fake_rasa):
    cid, auth = start_chat(client)
    body = say(client, cid, auth, "when is my bin day")
    assert body["state"] == "bot"
    assert body["messages"] == [{
        "id": body["messages"][0]["id"], "sender": "bot", "text": "You said: when is my bin day",
        "buttons": [{"title": "Bin day", "payload": "/bin_day"}], "form": None, "author": None,
        "created_at": body["messages"][0]["created_at"]}]
    assert fake_rasa.texts_for(cid) == ["when is my bin day"]
    stored = history(client, cid, auth).json()["messages"]
    assert [(m["sender"], m["text"]) for m in stored] == [
        ("resident", "when is my bin day"), ("bot", "You said: when is my bin day")]


def test_button_payload_goes_to_rasa_and_its_title_is_shown(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, "hello")  # the answer offers a "Bin day" button: /bin_day
    client.post(f"/api/conversations/{cid}/messages",
                json={"payload": "/bin_day", "text": "Bin day"}, headers=auth)
    assert fake_rasa.texts_for(cid) == ["hello", "/bin_day"]
    assert history(client, cid, auth).json()["messages"][2]["text"] == "Bin day"


def test_typed_slashes_are_text_not_commands_for_rasa(client, fake_rasa):
    cid, auth = start_chat(client)
    for typed in ("///filled.count.soap", '/ct_balance{"account_number": "1"}', "/"):
        say(client, cid, auth, typed)
    assert fake_rasa.texts_for(cid) == [
        "filled.count.soap", 'ct_balance{"account_number": "1"}', "?"]
    stored = [m["text"] for m in history(client, cid, auth).json()["messages"]
              if m["sender"] == "resident"]
    assert stored[0] == "///filled.count.soap"


def test_history_after_an_id_returns_only_later_messages(client):
    cid, auth = start_chat(client)
    first = say(client, cid, auth, "one")["messages"][0]["id"]
    say(client, cid, auth, "two")
    later = history(client, cid, auth, after=first).json()["messages"]
    assert [m["text"] for m in later] == ["two", "You said: two"]
    assert history(client, cid, auth, after="abc").status_code == 422


def test_empty_and_malformed_messages_are_refused_and_nothing_is_stored(client, fake_rasa):
    cid, auth = start_chat(client)
    url = f"/api/conversations/{cid}/messages"
    for body in ({"text": "   "}, {}, {"text": 5, "extra": 1}, {"text": None}):
        response = client.post(url, json=body, headers=auth)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    bad_json = client.post(url, content=b"{not json", headers={
        **auth, "Content-Type": "application/json"})
    assert bad_json.status_code == 422
    assert history(client, cid, auth).json()["messages"] == []
    assert fake_rasa.texts_for(cid) == []


def test_message_over_2000_characters_is_refused_and_2000_is_accepted(client, fake_rasa):
    cid, auth = start_chat(client)
    too_long = client.post(f"/api/conversations/{cid}/messages", json={"text": "a" * 2001},
                           headers=auth)
    assert too_long.status_code == 422
    assert too_long.json()["error"] == {
        "code": "too_long", "message": "Messages can be up to 2,000 characters.",
        "max_chars": 2000}
    assert history(client, cid, auth).json()["messages"] == []
    say(client, cid, auth, "a" * 2000)
    assert fake_rasa.texts_for(cid) == ["a" * 2000]


def test_unknown_or_other_residents_conversation_is_404(client):
    mine, my_auth = start_chat(client)
    theirs, their_auth = start_chat(client)
    say(client, theirs, their_auth, "private")
    for cid, auth in ((theirs, my_auth), ("0" * 32, my_auth)):
        assert history(client, cid, auth).status_code == 404
        posted = client.post(f"/api/conversations/{cid}/messages", json={"text": "hi"},
                             headers=auth)
        assert posted.status_code == 404
        assert posted.json()["error"]["code"] == "not_found"
    assert len(history(client, theirs, their_auth).json()["messages"]) == 2


def test_missing_token_is_401(client):
    cid, _auth = start_chat(client)
    assert history(client, cid, {}).status_code == 401


def test_per_conversation_rate_limit_answers_429_with_retry_after(tmp_path, fake_rasa, clock):
    settings = gateway_settings(tmp_path, fake_rasa.url, chat_rate_per_conversation="3/minute")
    with TestClient(create_app(settings, clock)) as client:
        cid, auth = start_chat(client)
        for text in ("one", "two", "three"):
            say(client, cid, auth, text)
        refused = client.post(f"/api/conversations/{cid}/messages", json={"text": "four"},
                              headers=auth)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "rate_limited"
        other, other_auth = start_chat(client)
        say(client, other, other_auth, "unaffected")
        assert fake_rasa.texts_for(cid) == ["one", "two", "three"]


def test_per_address_rate_limit_covers_all_conversations(tmp_path, fake_rasa, clock):
    settings = gateway_settings(tmp_path, fake_rasa.url, chat_rate_per_address="4/minute",
                                new_conversation_rate_per_address="2/minute")
    with TestClient(create_app(settings, clock)) as client:
        chats = [start_chat(client) for _ in range(2)]
        assert client.post("/api/conversations").status_code == 429
        for cid, auth in chats * 2:
            say(client, cid, auth, "hi")
        cid, auth = chats[0]
        refused = client.post(f"/api/conversations/{cid}/messages", json={"text": "again"},
                              headers=auth)
        assert refused.status_code == 429


def test_ended_chat_accepts_no_more_messages(client):
    cid, auth = start_chat(client)
    say(client, cid, auth, "hello")
    ended = client.post(f"/api/conversations/{cid}/end", headers=auth).json()
    assert ended["state"] == "closed"
    refused = client.post(f"/api/conversations/{cid}/messages", json={"text": "hi"},
                          headers=auth)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "conversation_closed"


def test_rasa_down_gives_apology_and_contact_offer_and_keeps_the_message(tmp_path, clock):
    # Rasa answered once (the welcome), then stopped: restarting, not starting (test_startup.py);
    # test_rasa_faults.py has the answer once it is back.
    port = free_port()
    settings = gateway_settings(tmp_path, f"http://127.0.0.1:{port}")
    with TestClient(create_app(settings, clock)) as client:
        with serve(FakeRasa().app, port):
            assert client.get("/api/conversations/welcome").json()["assistant"] == "ready"
        cid, auth = start_chat(client)
        body = say(client, cid, auth, "my bin was not emptied")
        assert body["state"] == "bot"
        [apology] = body["messages"]
        assert apology["sender"] == "system" and "Your message has been kept" in apology["text"]
        assert apology["buttons"] == [
            {"title": "Leave my contact details", "payload": "/leave_contact_details"}]
        stored = history(client, cid, auth).json()["messages"]
        assert stored[0]["text"] == "my bin was not emptied"
        offer = client.post(f"/api/conversations/{cid}/messages", headers=auth, json={
            "payload": "/leave_contact_details", "text": "Leave my contact details"}).json()
        assert offer["state"] == "waiting_for_staff"
        assert offer["messages"][-1]["form"] == "contact"


def test_security_headers_on_pages_and_api(client):
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    api = client.post("/api/conversations")
    assert api.headers["x-content-type-options"] == "nosniff"


def test_report_details_are_redacted_from_the_transcript_when_rasa_asks(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, "hello")
    say(client, cid, auth, "a man in a green coat by the library")
    say(client, cid, auth, "send report")
    stored = [(m["sender"], m["text"]) for m in history(client, cid, auth).json()["messages"]]
    assert stored == [
        ("resident", "hello"), ("bot", "You said: hello"),
        ("resident", "[Removed.]"), ("bot", "[Removed.]"),
        ("resident", "[Removed.]"), ("bot", "Sent as RS-123456."),
    ]
