"""Forgetting what a resident typed for a journey: the redact payload and the slots it changed.

The payload itself is `Redact` in actions/common/payloads.py; bot/rasa/tracker_store.py applies it
to Rasa's records and the gateway to its transcript.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rasa_sdk import Tracker

from actions.common.payloads import Redact, blanked_by_redaction

# Events after which Rasa starts the slots afresh.
_SLOTS_RESET = {"restart", "reset_slots", "session_started"}


def journey_start(events: list[dict[str, Any]], action_name: str) -> int | None:
    """Index of the resident message that started the latest `action_name` journey."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "action" and event.get("name") == action_name:
            # The message that triggered the journey comes just before its first action.
            return next((i for i in range(index - 1, -1, -1)
                         if events[i].get("event") == "user"), index)
    return None


def messages_since_action(tracker: Tracker, action_name: str) -> int:
    """Resident messages from the one that started `action_name`'s journey to now."""
    start = journey_start(tracker.events, action_name) or 0
    return sum(1 for event in tracker.events[start:] if event.get("event") == "user")


def slots_before_action(tracker: Tracker, action_name: str,
                        own: Collection[str]) -> dict[str, Any]:
    """Slots outside the journey's `own` that were set during it (a postcode typed into a
    report fills `postcode`), each with the value it had before the journey began."""
    start = journey_start(tracker.events, action_name)
    if start is None:
        return {}
    before: dict[str, Any] = {}
    for event in tracker.events[:start]:
        if event.get("event") in _SLOTS_RESET:
            before = {}
        elif event.get("event") == "slot":
            before[event["name"]] = event.get("value")
    touched = dict.fromkeys(event["name"] for event in tracker.events[start:]
                            if event.get("event") == "slot" and event["name"] not in own)
    return {name: before.get(name) for name in touched}


def redaction_payload(resident_messages: int, reason: str) -> dict[str, Any]:
    """The contract with the gateway (and bot/rasa/tracker_store.py): one `redact` object in a
    custom message."""
    return Redact(resident_messages, reason).message()


def still_needed(tracker: Tracker, action_name: str, named: Collection[str],
                 changed: Collection[str]) -> dict[str, Any]:
    """Slots a redaction of `action_name`'s journey (and of the `named` slots everywhere)
    blanks that the conversation still holds: each with its value now, to be set again after
    the payload. `changed` are the slots the action sets itself."""
    start = journey_start(tracker.events, action_name)
    in_span = {event["name"] for event in tracker.events[start or 0:]
               if event.get("event") == "slot"
               and blanked_by_redaction(event["name"], event.get("value"))}
    return {name: tracker.get_slot(name) for name in sorted((in_span | set(named)) - set(changed))
            if tracker.get_slot(name) is not None}
