"""What Rasa did with one resident message, in names only, for the gateway's insights.

The gateway asks for it with `?insights=1` on the REST webhook; the channel then appends one
custom message `{"turn": {...}}` to the replies (bot/rasa/channel.py). It carries the intent,
the actions run, the forms started and the slots they asked for: never text or slot values.
"""

from __future__ import annotations

from typing import Any

TURN_KEY = "turn"
SKIPPED_ACTIONS = {"action_listen", "action_session_start"}


def summarise(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Summarise the events from the last resident message on."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return {}
    loop_before = _active_loop(events[:last_user])
    parse = events[last_user].get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    selected = ((parse.get("response_selector") or {}).get(intent or "") or {}).get("response")
    if isinstance(selected, dict) and selected.get("intent_response_key"):
        intent = selected["intent_response_key"]  # e.g. faq/bins_put_out_time
    actions: list[str] = []
    started: list[str] = []
    steps: list[list[str]] = []
    loop = loop_before
    for event in events[last_user + 1:]:
        kind = event.get("event")
        if kind == "action" and event.get("name") not in SKIPPED_ACTIONS:
            actions.append(str(event.get("name")))
        elif kind == "active_loop":
            name = event.get("name")
            if name and name != loop:
                started.append(str(name))
            loop = name
        elif kind == "slot" and event.get("name") == "requested_slot" and event.get("value"):
            if loop:
                steps.append([str(loop), str(event["value"])])
    return {"intent": intent, "actions": actions, "loop_before": loop_before,
            "started": started, "steps": steps, "active_loop": loop}


def _active_loop(events: list[dict[str, Any]]) -> str | None:
    for event in reversed(events):
        if event.get("event") == "active_loop":
            return event.get("name")
        if event.get("event") == "restart":
            return None
    return None
