"""Idempotency keys for back-office writes that a retry of the same journey reuses.

A key is derived from the conversation, the kind of write, what is written and the moment the
journey's form started, so it is the same however often the action runs for that journey
(even when Rasa lost the events of a run that timed out), and new for a new journey.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rasa_sdk import Tracker


def journey_started(tracker: Tracker) -> float | None:
    """When the most recent form of this conversation became active."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name"):
            return event.get("timestamp")
    return None


def write_key(tracker: Tracker, purpose: str, *written: Any) -> str:
    material = [tracker.sender_id, purpose, journey_started(tracker), list(written)]
    digest = hashlib.sha256(json.dumps(material, default=str).encode()).hexdigest()
    return f"{purpose}:{digest[:40]}"
