"""Builds real rasa_sdk trackers for calling actions directly in tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def user_event(text: str, intent: str, entities: list[dict] | None = None,
               ranking: list[dict] | None = None) -> dict[str, Any]:
    parse_data = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
    }
    return {"event": "user", "text": text, "parse_data": parse_data}


def tracker_for(*turns: dict[str, Any], slots: dict[str, Any] | None = None,
                sender_id: str = "test-conversation") -> Tracker:
    latest = turns[-1]["parse_data"] if turns else {}
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={"text": turns[-1]["text"] if turns else "", **latest},
        events=list(turns),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
