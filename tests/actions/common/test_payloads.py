"""The handoff and redact payloads: what actions send, and how the gateway reads them back."""

from __future__ import annotations

import pytest

from actions.common.payloads import Handoff, Redact


def test_handoff_round_trips_through_its_custom_message():
    sent = Handoff(topic="waste", summary="Missed bin", priority="high",
                   references={"uprn": "100000000101"}, verified=True)
    assert Handoff.from_custom(sent.message()) == sent


def test_handoff_from_odd_values_is_a_safe_general_handoff():
    read = Handoff.from_dict({"topic": None, "priority": "panic", "safeguarding": "yes",
                              "references": {"uprn": 100000000101, "card": "4111"},
                              "summary": "x" * 3000, "verified": 1})
    assert read == Handoff(topic="general", summary="x" * 2000, priority="normal",
                           references={"uprn": "100000000101"})
    assert Handoff.from_dict("not an object") == Handoff(topic="general", summary="")


def test_a_message_without_a_handoff_carries_none():
    assert Handoff.from_custom({"text": "hello"}) is None
    assert Handoff.from_custom(None) is None


def test_redact_round_trips_through_its_custom_message():
    sent = Redact(3, "Report details removed.")
    assert sent.message() == {"redact": {"resident_messages": 3,
                                         "reason": "Report details removed."}}
    assert Redact.from_custom(sent.message()) == sent


@pytest.mark.parametrize("raw", [None, "2", {}, {"resident_messages": 0},
                                 {"resident_messages": -1}, {"resident_messages": "2"}])
def test_redact_without_a_positive_count_asks_for_nothing(raw):
    assert Redact.from_dict(raw) is None


def test_redact_reason_is_defaulted_and_bounded():
    assert Redact.from_dict({"resident_messages": 2}) == Redact(2, "Details removed.")
    read = Redact.from_dict({"resident_messages": 2, "reason": "r" * 500})
    assert read is not None and len(read.reason) == 300
