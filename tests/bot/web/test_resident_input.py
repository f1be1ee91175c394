"""What the gateway does with a resident's message before storing it or sending it to Rasa:
card numbers and bank details are taken out, and only offered button payloads are accepted."""

from __future__ import annotations

import pytest

from bot.payment_details import BANK_REMOVED, CARD_REMOVED
from tests.bot.web.conftest import say, start_chat


def resident_texts(client, cid: str, auth: dict) -> list[str]:  # type: ignore[no-untyped-def]
    messages = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()["messages"]
    return [m["text"] for m in messages if m["sender"] == "resident"]


def send_payload(client, cid: str, auth: dict, payload: str, text: str = "Choice"):  # type: ignore[no-untyped-def]
    return client.post(f"/api/conversations/{cid}/messages",
                       json={"payload": payload, "text": text}, headers=auth)


def test_card_and_bank_details_are_removed_before_storing_and_before_rasa(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, "my card is 4111 1111 1111 1111")
    say(client, cid, auth, "sort code 20-00-00 account 12345678")
    say(client, cid, auth, "account 500000001, I'm on 07700 900123")

    expected = [f"my card is {CARD_REMOVED}",
                f"sort code {BANK_REMOVED} account {BANK_REMOVED}",
                "account 500000001, I'm on 07700 900123"]
    assert resident_texts(client, cid, auth) == expected
    assert fake_rasa.texts_for(cid) == expected


def test_card_number_typed_to_staff_is_removed_too(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, "I want a person")  # the fake Rasa hands off: waiting for staff
    say(client, cid, auth, "card 5555-5555-5555-4444")
    assert resident_texts(client, cid, auth)[-1] == f"card {CARD_REMOVED}"
    assert not any("5555" in text for text in fake_rasa.texts_for(cid))


@pytest.mark.parametrize("payload", [
    '/ct_balance{"account_number": "500000001"}',
    "/bin_day",  # a plain intent, but never offered in this chat
    "/request_human{\"x\": 1}",
    "/request_human extra",
    "I want a person",
])
def test_payload_not_offered_goes_on_as_the_buttons_text(client, fake_rasa, payload):
    cid, auth = start_chat(client)
    response = send_payload(client, cid, auth, payload, "My balance")

    assert response.status_code == 200
    assert resident_texts(client, cid, auth) == ["My balance"]
    assert fake_rasa.texts_for(cid) == ["My balance"]  # never the payload


def test_payload_of_a_button_the_assistant_offered_goes_to_rasa(client, fake_rasa):
    cid, auth = start_chat(client)
    say(client, cid, auth, "when are collections")  # offers Yes (/affirm) and No (/deny)
    assert send_payload(client, cid, auth, '/affirm{"uprn": "1"}', "Yes").status_code == 200
    say(client, cid, auth, "when are collections")
    assert send_payload(client, cid, auth, "/affirm", "Yes").status_code == 200
    # That choice was answered: pressing it again later sends its text, as if typed.
    assert send_payload(client, cid, auth, "/deny", "No").status_code == 200
    assert fake_rasa.texts_for(cid) == ["when are collections", "Yes", "when are collections",
                                        "/affirm", "No"]


def test_welcome_suggestions_and_the_widgets_own_payloads_are_accepted(client, fake_rasa):
    client.get("/api/conversations/welcome")
    cid, auth = start_chat(client)
    assert send_payload(client, cid, auth, "/ct_balance", "My council tax").status_code == 200
    assert send_payload(client, cid, auth, "When is my bin day?",
                        "Bin collections").status_code == 200
    assert send_payload(client, cid, auth, "/request_human",
                        "Talk to a person").status_code == 200
    # The welcome's suggestions are for the first message; later one is read as its text.
    assert fake_rasa.texts_for(cid) == ["/ct_balance", "Bin collections", "/request_human"]


def test_welcome_suggestions_are_accepted_before_the_welcome_was_cached(client, fake_rasa):
    cid, auth = start_chat(client)  # e.g. the gateway restarted after the page loaded
    assert send_payload(client, cid, auth, "/ct_balance", "My council tax").status_code == 200
    assert fake_rasa.texts_for(cid) == ["/ct_balance"]
