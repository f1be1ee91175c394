"""A write's idempotency key is the same for every run of one journey, new for the next."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common.write_keys import write_key


def tracker(sender: str, form_started: float) -> Tracker:
    events = [{"event": "user", "timestamp": form_started - 1, "text": "move"},
              {"event": "active_loop", "name": "ct_moving_form", "timestamp": form_started},
              {"event": "slot", "name": "ct_date", "value": "2026-12-10"}]
    return Tracker(sender, {}, {}, events, False, None, {}, "action_listen")


def test_same_journey_same_key_and_a_new_journey_or_content_a_new_one():
    first = write_key(tracker("chat-1", 100.0), "ct-move", "out", "2026-12-10")
    assert write_key(tracker("chat-1", 100.0), "ct-move", "out", "2026-12-10") == first
    assert write_key(tracker("chat-1", 200.0), "ct-move", "out", "2026-12-10") != first
    assert write_key(tracker("chat-1", 100.0), "ct-move", "out", "2026-12-11") != first
    assert write_key(tracker("chat-2", 100.0), "ct-move", "out", "2026-12-10") != first
    assert first.startswith("ct-move:") and len(first) < 200
