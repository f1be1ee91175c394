"""Residents marking an answer as not helpful: the question lands in the editors' inbox once."""

from __future__ import annotations

import spacy
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.content import redaction
from bot.content.models import InboxItem
from tests.bot.web.conftest import say, start_chat


def press(client, conversation_id, headers, message_id):  # type: ignore[no-untyped-def]
    return client.post(f"/api/conversations/{conversation_id}/feedback",
                       json={"message_id": message_id}, headers=headers)


def inbox_items(app) -> list[InboxItem]:  # type: ignore[no-untyped-def]
    with app.state.runtime.transaction() as session:
        return list(session.scalars(select(InboxItem).order_by(InboxItem.id)).all())


def answer_id(client, conversation_id, headers, text) -> str:  # type: ignore[no-untyped-def]
    return say(client, conversation_id, headers, text)["messages"][-1]["id"]


def test_unhelpful_answer_puts_the_question_in_the_inbox_without_personal_data(client, app):
    cid, auth = start_chat(client)
    answer = answer_id(client, cid, auth, "is the tip near AN1 1AA open on sundays")

    response = press(client, cid, auth, answer)

    assert response.status_code == 200
    assert response.json() == {"message_id": answer, "recorded": True}
    [item] = inbox_items(app)
    assert (item.text, item.reason, item.conversation_id, item.status) == (
        "is the tip near <postcode> open on sundays", "unhelpful", cid, "new")


def test_pressing_twice_records_the_question_once(client, app):
    cid, auth = start_chat(client)
    answer = answer_id(client, cid, auth, "can I recycle foil")

    first, again = press(client, cid, auth, answer), press(client, cid, auth, int(answer))

    assert first.json()["recorded"] is True
    assert again.status_code == 200 and again.json()["recorded"] is False
    assert [i.text for i in inbox_items(app)] == ["can I recycle foil"]


def test_only_the_conversations_own_resident_can_mark_its_answers(client, app):
    mine, my_auth = start_chat(client)
    theirs, their_auth = start_chat(client)
    their_answer = answer_id(client, theirs, their_auth, "something private")

    other_token = press(client, theirs, my_auth, their_answer)
    no_token = press(client, theirs, {}, their_answer)
    other_conversation = press(client, mine, my_auth, their_answer)

    assert other_token.status_code == 404 and no_token.status_code == 401
    assert other_conversation.status_code == 404
    assert other_conversation.json()["error"] == {"code": "not_found",
                                                  "message": "No such message."}
    assert inbox_items(app) == []


def test_unknown_malformed_or_non_bot_messages_are_refused(client, app):
    cid, auth = start_chat(client)
    reply = say(client, cid, auth, "hello")
    question_id = reply["received"]["id"]

    unknown = press(client, cid, auth, "999999")
    malformed = press(client, cid, auth, "abc")
    not_an_answer = press(client, cid, auth, question_id)

    assert unknown.status_code == 404
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "validation_error"
    assert not_an_answer.status_code == 422
    assert not_an_answer.json()["error"]["code"] == "not_an_answer"
    assert inbox_items(app) == []


def test_redacted_report_details_are_never_recorded(client, app):
    cid, auth = start_chat(client)
    say(client, cid, auth, "a man in a green coat by the library")
    sent = answer_id(client, cid, auth, "send report")
    blanked = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()["messages"][1]

    responses = [press(client, cid, auth, sent), press(client, cid, auth, blanked["id"])]

    assert blanked["text"] == "[Removed.]"
    assert [r.json()["recorded"] for r in responses] == [False, False]
    assert inbox_items(app) == []


def test_a_question_marked_before_its_report_was_redacted_leaves_the_inbox(client, app):
    cid, auth = start_chat(client)
    answer = answer_id(client, cid, auth, "a man in a green coat by the library")
    assert press(client, cid, auth, answer).json()["recorded"] is True

    say(client, cid, auth, "send report")

    assert inbox_items(app) == []


def test_the_first_press_after_start_does_not_wait_for_spacy(app, monkeypatch):
    def load_on_a_press(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("spaCy was loaded while a resident waited")

    redaction._pipeline.cache_clear()  # as in a gateway process just started
    with TestClient(app) as client:
        cid, auth = start_chat(client)
        answer = answer_id(client, cid, auth, "I spoke to John Smith about fly tipping in London")
        monkeypatch.setattr(spacy, "load", load_on_a_press)
        response = press(client, cid, auth, answer)

    assert response.status_code == 200 and response.json()["recorded"] is True
    [item] = inbox_items(app)
    assert item.text == "I spoke to <name> about fly tipping in <place>"  # by the loaded spaCy
