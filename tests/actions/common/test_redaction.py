"""What a finished report must make the records forget: its messages, and slots it changed."""

from __future__ import annotations

from actions.common.redaction import messages_since_action, redaction_payload, slots_before_action
from tests.actions.helpers import tracker_for, user_event


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_counts_the_triggering_message_and_every_answer_after_it():
    tracker = tracker_for(
        user_event("hiya", "greet"), action("utter_greet"),
        user_event("someone is sleeping in the doorway", "rough_sleeper_report"),
        action("action_rs_start"),
        user_event("no", "deny"), user_event("outside the library", "rs_details"),
        user_event("yes", "affirm"),
    )
    assert messages_since_action(tracker, "action_rs_start") == 4


def test_only_the_latest_report_counts():
    tracker = tracker_for(
        user_event("report someone", "rough_sleeper_report"), action("action_rs_start"),
        user_event("old answer", "rs_details"),
        user_event("another report", "rough_sleeper_report"), action("action_rs_start"),
        user_event("yes", "affirm"),
    )
    assert messages_since_action(tracker, "action_rs_start") == 2


def slot(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value}


def test_slots_a_report_changed_are_put_back_as_they_were():
    tracker = tracker_for(
        user_event("bin day for AN1 1AA", "bin_day"), slot("postcode", "AN1 1AA"),
        user_event("someone is sleeping by the bins at AN2 3CC", "rough_sleeper_report"),
        slot("postcode", "AN2 3CC"), action("action_rs_start"), slot("rs_location", "by the bins"),
        user_event("the blue bins", "rs_details"), slot("bin_service", "recycling"),
        user_event("yes", "affirm"),
    )
    assert slots_before_action(tracker, "action_rs_start", {"rs_location"}) == {
        "postcode": "AN1 1AA", "bin_service": None}


def test_values_from_an_earlier_session_are_not_brought_back():
    tracker = tracker_for(
        slot("postcode", "AN1 1AA"), {"event": "session_started"},
        user_event("report someone at AN2 3CC", "rough_sleeper_report"),
        slot("postcode", "AN2 3CC"), action("action_rs_start"), user_event("yes", "affirm"),
    )
    assert slots_before_action(tracker, "action_rs_start", set()) == {"postcode": None}
    assert slots_before_action(tracker_for(user_event("hi", "greet")), "action_rs_start",
                               set()) == {}


def test_payload_shape_is_the_gateway_contract():
    assert redaction_payload(3, "Removed.") == {
        "redact": {"resident_messages": 3, "reason": "Removed."}}
