"""Asks the gateway to blank out what a resident typed for a report once the report is made."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def messages_since_action(tracker: Tracker, action_name: str) -> int:
    """Resident messages from the one that started `action_name`'s journey to now."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            count += 1
        elif event.get("event") == "action" and event.get("name") == action_name:
            # The message that triggered the journey comes just before its first action.
            return count + 1
    return count


def redaction_payload(resident_messages: int, reason: str) -> dict[str, Any]:
    """The contract with the gateway: one `redact` object in a custom message."""
    return {"redact": {"resident_messages": resident_messages, "reason": reason}}
