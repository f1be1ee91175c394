"""Counting the resident messages a completed report's redaction must cover."""

from __future__ import annotations

from actions.redaction import messages_since_action, redaction_payload
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


def test_payload_shape_is_the_gateway_contract():
    assert redaction_payload(3, "Removed.") == {
        "redact": {"resident_messages": 3, "reason": "Removed."}}
