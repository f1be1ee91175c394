"""Residents' conversations while parts of the assistant fail: every message gets an answer or
an apology that says what is wrong and what happens next, and the conversation carries on once
the part is back. Processes are the supervisor's; faults are signals and the back office's
fault switches."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from actions.common.forms import ADDRESSES_UNAVAILABLE
from bot.http.problems import DATABASE_BUSY
from bot.web.services.chat import CALLBACK_BUTTON, INCOMPLETE, RESTARTING
from tests.faults.conftest import TALLY, Agent, Listener, Resident, texts

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


def test_back_office_down_for_30_s_then_back(stack, resident):
    asks_for_postcode(resident)
    stack.set_faults("back office down 30 s", outage=True)
    down_since = time.monotonic()
    assert texts(resident.says(POSTCODE))[0] == ADDRESSES_UNAVAILABLE
    time.sleep(max(0.0, 15 - (time.monotonic() - down_since)))
    assert texts(new_resident(stack).says(POSTCODE))[0] == ADDRESSES_UNAVAILABLE  # still down
    time.sleep(max(0.0, 30 - (time.monotonic() - down_since)))
    stack.set_faults()
    assert new_resident(stack).says(POSTCODE)[-1]["buttons"]


def press(replies: list[dict], title: str | None = None) -> tuple[str, str]:
    """The (title, payload) of the last reply's button called `title`, or its first one."""
    buttons = replies[-1]["buttons"]
    assert buttons, texts(replies)
    chosen = next((b for b in buttons if b["title"] == title), buttons[0])
    return chosen["title"], chosen["payload"]


def test_a_booking_whose_answer_is_lost_is_made_once(stack, resident):
    assert "postcode" in " ".join(texts(resident.says("please collect an old sofa")))
    slots = resident.says(*press(resident.says(POSTCODE)))
    confirm = resident.says(*press(slots))
    assert "Shall I book it?" in " ".join(texts(confirm)), texts(confirm)
    # The booking is made, then its answer never arrives: the action's retry carries the same
    # Idempotency-Key, so the back office replays the first booking instead of making another.
    stack.set_faults("back office answer lost after a booking", lose_next_write_answers=1)
    booked = " ".join(texts(resident.says(*press(confirm, "Yes"))))
    assert "Your reference is" in booked, booked
    assert stack.duplicated_writes() == 0


def test_gateway_killed_while_staff_and_resident_chat_both_streams_miss_nothing(stack, resident):
    resident.says("Leave my contact details", payload="/leave_contact_details")  # opens a case
    agent = Agent(stack)
    case = agent.case_of(resident.id)
    agent.act(case, "claim")
    agent.act(case, "reply", text="Hello, I'm Priya from the council. How can I help?")
    start = int(resident.history()[-1]["id"])
    streams = [Listener(f"{stack.gateway}/api/conversations/{resident.id}/stream",
                        resident.session(), start),
               Listener(f"{stack.gateway}/staff/cases/{case}/stream", agent.http, start)]
    for stream in streams:
        stream.start()
        stream.connected(1)
    resident.tells_staff("My bins were not collected this week")
    stack.kill("gateway")
    stack.wait_until_serving()
    agent.act(case, "reply", text="Sorry about that. Which street are you on?")  # same sign-in
    resident.tells_staff("Acacia Avenue")
    agent.act(case, "reply", text="Thank you, I've asked the crew to come back.")
    expected = [int(m["id"]) for m in resident.history() if int(m["id"]) > start]
    assert len(expected) == 4
    deadline = time.monotonic() + 30
    while any(s.seen != expected for s in streams) and time.monotonic() < deadline:
        time.sleep(0.2)
    for stream in streams:
        stream.stopping.set()
        assert stream.seen == expected, (stream.url, stream.seen, expected)  # none missed or twice
        assert stream.connections >= 2  # reconnected to the new gateway process


def test_gateway_database_locked_writes_wait_then_fail_clearly(stack, resident):
    asks_for_postcode(resident)
    lock = sqlite3.connect(stack.gateway_database, isolation_level=None, timeout=10)
    with ThreadPoolExecutor(1) as pool:
        # Shorter than SQLite's busy timeout (5 s): the resident's turn waits, then goes on.
        lock.execute("BEGIN IMMEDIATE")
        stack.tally_fault("gateway database locked 3 s")
        turn = pool.submit(resident.says, POSTCODE)
        time.sleep(3)
        lock.execute("ROLLBACK")
        assert turn.result()[-1]["buttons"], "the addresses, once the lock was released"
        # Longer than it: a clear "try again" with nothing stored, never a half-made turn.
        before = resident.history()
        lock.execute("BEGIN IMMEDIATE")
        stack.tally_fault("gateway database locked 9 s")
        refused = pool.submit(resident.send, "1 Acacia Avenue")
        time.sleep(9)
        lock.execute("ROLLBACK")
        response = refused.result()
    lock.close()
    assert response.status_code == 503, response.text
    assert response.json()["error"]["message"] == DATABASE_BUSY
    assert resident.history() == before
    assert texts(resident.says("when is my bin day"))  # and the chat carries on


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


def test_every_message_was_answered_or_apologised_for_and_nothing_written_twice(stack):
    """Last: the tally so far (each test's conversations are counted as it ends)."""
    assert TALLY.conversations > 0
    assert TALLY.lost == 0
    assert stack.duplicated_writes() == 0
