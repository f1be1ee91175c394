"""Bulky waste: pricing the items, offering dates and booking, against the stub back office."""

from __future__ import annotations

import json

from actions.waste.bulky import ActionAskBinSlot, ActionBinBulky, ValidateBinBulkyForm
from actions.waste.replies import change_unconfirmed
from tests.actions.helpers import slot_values, texts
from tests.actions.waste.trackers import (
    CHURCH_10,
    run,
    tracker,
)

# -- Bulky waste ------------------------------------------------------------------------------

async def test_bulky_items_from_the_first_message_are_priced(backoffice_env):
    t = tracker("can you collect a sofa and two chairs", "bin_bulky", form="bin_bulky_form")
    dispatcher, events = await run(ValidateBinBulkyForm(), t)
    assert "sofa and 2 x chair costs £30.00" in texts(dispatcher)
    assert json.loads(slot_values(events)["bin_bulky_items"]) == {"sofa": 1, "chair": 2}
    assert slot_values(events)["requested_slot"] == "postcode"


async def test_bulky_item_not_taken_gets_advice(backoffice_env):
    t = tracker("some paint tins and a fridge", slots={"requested_slot": "bin_bulky_items"},
                form="bin_bulky_form")
    dispatcher, events = await run(ValidateBinBulkyForm(), t)
    assert "We can't collect paint" in texts(dispatcher)
    assert "fridge costs £45.00" in texts(dispatcher)
    assert json.loads(slot_values(events)["bin_bulky_items"]) == {"fridge": 1}


async def test_bulky_slots_offered_as_buttons_then_booked(backoffice_env):
    dispatcher, _ = await run(ActionAskBinSlot(), tracker(slots={"uprn": CHURCH_10}))
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons[0] == {"title": "Tuesday 29 December", "payload": "2026-12-29"} or \
        buttons[0]["payload"] == "2027-01-01" or buttons[0]["title"].startswith("Friday")
    slot = buttons[0]["payload"]
    t = tracker("yes", "affirm", slots={"uprn": CHURCH_10, "bin_slot": slot,
                                        "bin_bulky_items": json.dumps({"sofa": 1}),
                                        "bin_confirm": True})
    dispatcher, events = await run(ActionBinBulky(), t)
    reference = slot_values(events)["bin_report_reference"]
    assert reference.startswith("BW-")
    assert f"Your reference is {reference} and the charge is £30.00" in texts(dispatcher)


async def test_a_booking_whose_answer_does_not_come_may_have_been_made_and_says_so(
        backoffice_env, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_READ_TIMEOUT", "0.5")
    dispatcher, _ = await run(ActionAskBinSlot(), tracker(slots={"uprn": CHURCH_10}))
    slot = dispatcher.messages[0]["buttons"][0]["payload"]
    backoffice_env.set_faults(lose_next_write_answers=1)  # booked, then the answer held back
    t = tracker("yes", "affirm", slots={"uprn": CHURCH_10, "bin_slot": slot,
                                        "bin_bulky_items": json.dumps({"sofa": 1}),
                                        "bin_confirm": True})
    dispatcher, events = await run(ActionBinBulky(), t)
    [said] = dispatcher.messages
    assert said["text"] == change_unconfirmed("book it")  # not "I can't finish this"
    assert [b["payload"] for b in said["buttons"]] == ["/request_human", "/deny"]
    assert "bin_report_reference" not in slot_values(events)
