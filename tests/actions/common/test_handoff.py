"""Handing over to staff: the payload the gateway relies on, and pausing the bot."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.common.handoff import ActionHandoffToStaff, hand_off, handoff_payload
from tests.actions.helpers import tracker_for, user_event


def test_payload_carries_everything_the_gateway_needs():
    payload = handoff_payload(topic="waste", summary="Missed bin", priority="high",
                              safeguarding=False, references={"uprn": "100000000101", "x": ""},
                              verified=False)
    assert payload == {"handoff": {
        "topic": "waste", "summary": "Missed bin", "priority": "high", "safeguarding": False,
        "references": {"uprn": "100000000101"}, "verified": False,
    }}


async def test_request_for_a_person_sends_the_payload_and_pauses():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(
        user_event("when is my bin day", "bin_day"),
        user_event("put me through to an advisor", "request_human"),
        slots={"uprn": "100000000310"},
    )
    events = await ActionHandoffToStaff().run(dispatcher, tracker, {})
    assert events == [{"event": "pause", "timestamp": None}]
    assert dispatcher.messages[0]["response"] == "utter_handoff_started"
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert handoff["topic"] == "waste"
    assert handoff["references"] == {"uprn": "100000000310"}
    assert handoff["verified"] is False and handoff["priority"] == "normal"


def test_explicit_references_win_over_slots_and_safeguarding_is_passed():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event("i have nowhere to sleep", "homeless_self"),
                          slots={"uprn": "100000000101"})
    hand_off(dispatcher, tracker, topic="homelessness", summary="Homeless tonight",
             priority="urgent", safeguarding=True, references={"uprn": "100000000102"})
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert handoff["priority"] == "urgent" and handoff["safeguarding"] is True
    assert handoff["references"] == {"uprn": "100000000102"}


async def test_handoff_with_no_service_topic_is_general():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event("speak to someone", "request_human"))
    await ActionHandoffToStaff().run(dispatcher, tracker, {})
    assert dispatcher.messages[1]["custom"]["handoff"]["topic"] == "general"
