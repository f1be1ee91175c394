"""Residents' conversations while parts of the assistant fail: every message gets an answer or
an apology that says what is wrong and what happens next, and the conversation carries on once
the part is back. Processes are the supervisor's; faults are signals and the back office's
fault switches."""

from __future__ import annotations

import os
import signal
import time

import pytest

from actions.common.forms import ADDRESSES_UNAVAILABLE
from bot.web.services.chat import CALLBACK_BUTTON, INCOMPLETE, RESTARTING
from tests.faults.conftest import Resident, texts

POSTCODE = "AN1 1AA"


@pytest.fixture
def resident(stack):  # type: ignore[no-untyped-def]
    person = Resident(stack)
    yield person
    stack.set_faults()
    for other in [person, *stack.residents]:
        other.count()
    stack.residents.clear()


def asks_for_postcode(resident: Resident) -> None:
    said = texts(resident.says("when is my bin day"))
    assert any("postcode" in t for t in said), said


def new_resident(stack) -> Resident:  # type: ignore[no-untyped-def]
    """A new conversation, counted when the test ends, waiting for its postcode."""
    person = Resident(stack)
    stack.residents.append(person)
    asks_for_postcode(person)
    return person


def test_frozen_back_office_says_addresses_cannot_be_looked_up_within_the_budget(stack,
                                                                                resident):
    asks_for_postcode(resident)
    stack.set_faults("back office 15 s slow", latency_ms=15_000)
    started = time.monotonic()
    said = texts(resident.says(POSTCODE))
    took = time.monotonic() - started
    assert said[0] == ADDRESSES_UNAVAILABLE, said
    assert took < stack.settings.action_timeout_seconds, took


def test_slow_and_flaky_back_office_still_answers_every_turn(stack, resident):
    stack.set_faults("back office 2 s slow", latency_ms=2_000)
    asks_for_postcode(resident)
    addresses = resident.says(POSTCODE)
    assert addresses[-1]["buttons"], texts(addresses)  # 2 s is inside the read timeout
    stack.set_faults("back office failing 30%", error_rate=0.3)
    for _ in range(3):
        said = texts(new_resident(stack).says(POSTCODE))
        assert said[0] == ADDRESSES_UNAVAILABLE or POSTCODE in said[-1], said


def test_back_office_down_then_back(stack, resident):
    asks_for_postcode(resident)
    stack.set_faults("back office down", outage=True)
    assert texts(resident.says(POSTCODE))[0] == ADDRESSES_UNAVAILABLE
    stack.set_faults()
    assert new_resident(stack).says(POSTCODE)[-1]["buttons"]


def test_action_server_killed_mid_conversation_is_restarted(stack, resident):
    asks_for_postcode(resident)
    stack.handle.control("stop", "actions")  # down for this turn: as killed, not yet back
    replies = resident.says(POSTCODE)
    assert texts(replies) == [INCOMPLETE] and replies[0]["buttons"] == [CALLBACK_BUTTON]
    stack.handle.control("start", "actions")
    stack.kill("actions")  # and a real SIGKILL: supervisord starts it again
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        person = Resident(stack)
        stack.residents.append(person)
        said = person.says("when is my bin day")
        if any("postcode" in t for t in texts(said)) and person.says(POSTCODE)[-1]["buttons"]:
            return
        assert texts(said) == [INCOMPLETE], texts(said)  # until it is back: never silence
        time.sleep(2)
    pytest.fail("the action server did not come back")


def test_frozen_action_server_is_given_up_on_within_the_budget(stack, resident):
    asks_for_postcode(resident)
    pid = stack.handle.pid("actions")
    os.kill(pid, signal.SIGSTOP)  # frozen, not dead: only Rasa's action timeout ends the wait
    stack.tally_fault("action server frozen")
    try:
        started = time.monotonic()
        replies = resident.says(POSTCODE)
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
    assert texts(replies) == [INCOMPLETE]
    assert stack.settings.action_timeout_seconds <= took < stack.settings.rasa_timeout_seconds


def test_rasa_killed_mid_conversation_answers_the_kept_message_when_back(stack, resident):
    asks_for_postcode(resident)  # Rasa's tracker now waits for the postcode
    stack.kill("rasa")
    replies = resident.says(POSTCODE)
    assert texts(replies) == [RESTARTING] and replies[0]["buttons"] == [CALLBACK_BUTTON]
    # The gateway holding it dies too: the message is held in the database, so the gateway
    # supervisord starts in its place answers it.
    stack.kill("gateway")
    # Rasa reloads its model, then the kept postcode is answered from where the SQL tracker
    # store left the conversation: the addresses at that postcode.
    history = resident.wait_for(lambda h: h[-1]["sender"] == "bot" and h[-1]["buttons"], 290)
    assert "address" in history[-1]["text"].lower(), history[-1]
