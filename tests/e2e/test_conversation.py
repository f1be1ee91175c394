"""The first conversation, end to end over the token-protected REST channel of a real Rasa."""

from __future__ import annotations

import uuid

import requests

from bot.rasa.api_auth import api_headers, bearer
from tests.e2e.live_stack import reply_text


def texts(messages: list[dict]) -> str:
    return reply_text(messages, between=" ")


def test_greeting_says_it_is_automated_and_offers_a_person(live_stack):
    reply = live_stack.say(str(uuid.uuid4()), "hiya")
    assert "automated assistant" in texts(reply)
    assert any(b["payload"] == "/request_human" for m in reply for b in m.get("buttons", []))


def test_help_lists_what_the_assistant_does(live_stack):
    reply = texts(live_stack.say(str(uuid.uuid4()), "what can you help with"))
    for topic in ("council tax", "bins", "sleeping rough", "member of staff"):
        assert topic in reply


def test_bot_challenge_is_answered_honestly(live_stack):
    reply = texts(live_stack.say(str(uuid.uuid4()), "am I talking to a real person?"))
    assert "not a person" in reply


def test_out_of_scope_signposts_the_website_and_contact_centre(live_stack):
    reply = texts(live_stack.say(str(uuid.uuid4()), "how do i get a parking permit"))
    assert "www.anytown.gov.uk" in reply and "01632 960 000" in reply


def test_asking_for_a_person_sends_the_handoff_payload(live_stack):
    reply = live_stack.say(str(uuid.uuid4()), "put me through to an advisor")
    handoffs = [m["custom"]["handoff"] for m in reply if "handoff" in m.get("custom", {})]
    assert handoffs and handoffs[0]["topic"] == "general"


def test_gibberish_gets_the_two_stage_fallback_then_an_offer_of_staff(live_stack):
    sender = str(uuid.uuid4())
    not_understood = ("not sure I understood", "didn't quite understand")
    first = texts(live_stack.say(sender, "zxqv blorp wibble"))
    assert any(phrase in first for phrase in not_understood)
    live_stack.say(sender, "/out_of_scope")  # "No" to the suggestion, or a failed rephrase
    again = texts(live_stack.say(sender, "zxqv blorp wibble"))
    assert any(phrase in again for phrase in not_understood)
    last = texts(live_stack.say(sender, "/out_of_scope"))
    assert "talk to a member of staff" in last


def test_rest_channel_refuses_calls_without_the_token(live_stack):
    response = requests.post(
        f"{live_stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": "intruder", "message": "hi"}, timeout=10,
    )
    assert response.status_code == 401
    settings = live_stack.settings
    body = {"sender": "intruder", "message": "hi"}
    for refused in ({"params": {"token": live_stack.rasa_token}},  # never in the URL
                    {"headers": api_headers(settings.rasa_api_token.get_secret_value())},
                    {"headers": bearer("wrong")}):
        response = requests.post(f"{live_stack.rasa_url}/webhooks/rest/webhook", json=body,
                                 timeout=10, **refused)
        assert response.status_code == 401, refused


def test_rasa_http_api_needs_its_own_secret_in_a_header(live_stack):
    settings = live_stack.settings
    url = f"{live_stack.rasa_url}/status"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=bearer(live_stack.rasa_token), timeout=10).status_code == 401
    api = settings.rasa_api_token.get_secret_value()
    assert requests.get(url, params={"token": api}, timeout=10).status_code == 401
    assert requests.get(url, headers=api_headers(api), timeout=10).status_code == 200


def test_action_server_refuses_calls_without_its_own_token(live_stack):
    url = f"http://127.0.0.1:{live_stack.settings.action_server_port}/webhook"
    body = {"next_action": "action_handoff_to_staff"}
    action_token = live_stack.settings.action_server_token.get_secret_value()
    for refused in ({}, {"params": {"token": action_token}},
                    {"headers": bearer(live_stack.rasa_token)}):
        assert requests.post(url, json=body, timeout=10, **refused).status_code == 401


def test_a_council_tax_journey_asks_for_details_without_apologising_first(live_stack):
    sender = str(uuid.uuid4())
    reply = texts(live_stack.say(sender, "how much do i owe"))
    assert "What's your council tax account number?" in reply
    assert "Sorry" not in reply
    for message in ("500000001", "Example"):
        live_stack.say(sender, message)
    reply = texts(live_stack.say(sender, "AN1 1AA"))
    assert "you're verified" in reply and "This year's bill" in reply
    reply = texts(live_stack.say(sender, "thanks"))
    assert "You're welcome" in reply and "couldn't understand" not in reply


def test_a_band_lookup_ends_by_waiting_for_the_resident(live_stack):
    reply = texts(live_stack.say(str(uuid.uuid4()), "what band is AN1 1AA"))
    assert "3 Acacia Avenue: band D" in reply and "Is there anything else" in reply
    assert "couldn't understand" not in reply
