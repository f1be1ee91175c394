"""Builds real rasa_sdk trackers for calling actions directly in tests, and reads what they did."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


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


def report_tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "rs_details",
                   entities: list | None = None, confidence: float = 0.98) -> Tracker:
    """A resident's latest message in the middle of the rough sleeping report form."""
    parse_data = {"intent": {"name": intent, "confidence": confidence},
                  "entities": entities or []}
    return Tracker(
        sender_id="resident-1",
        slots={"requested_slot": None, **(slots or {})},
        latest_message={"text": text, **parse_data},
        events=[{"event": "user", "text": text, "parse_data": parse_data}],
        paused=False, followup_action=None, active_loop={"name": "rs_report_form"},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def slot_values(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
