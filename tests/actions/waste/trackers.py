"""Trackers as Rasa sends them in the bin journeys, and running an action on one."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = {"forms": yaml.safe_load((ROOT / "domain.yml").read_text())["forms"]}
ACACIA_1, ACACIA_4 = "100000000101", "100000000104"
CHURCH_10, CHURCH_12 = "100000000310", "100000000312"


def tracker(text: str = "", intent: str = "bin_details", *, slots: dict | None = None,
            form: str | None = None, entities: list[dict] | None = None,
            confidence: float = 0.95, events: list[dict] | None = None,
            just_set: dict | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence},
               "entities": entities or []}
    user = {"event": "user", "text": text, "parse_data": message}
    return Tracker(sender_id="conv-1", slots=dict(slots or {}), latest_message=message,
                   events=[*(events or []), user,
                           *({"event": "slot", "name": k, "value": v}
                             for k, v in (just_set or {}).items())],
                   paused=False, followup_action=None,
                   active_loop={"name": form} if form else {},
                   latest_action_name="action_listen")


async def run(action, t: Tracker) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return dispatcher, events
