"""The bin journeys' actions and form validation against the stub back office over HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common.forms import ActionAskUprn
from actions.waste.actions import (
    ActionBinContainer,
    ActionBinDay,
    ActionBinHandoff,
    ActionBinMissed,
    ActionBinWhich,
)
from actions.waste.bulky import ActionAskBinSlot, ActionBinBulky, ValidateBinBulkyForm
from actions.waste.forms import (
    ValidateBinContainerForm,
    ValidateBinDayForm,
    ValidateBinMissedForm,
)
from bot.backoffice.waste_items import A_TO_Z

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


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def run(action, t: Tracker) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return dispatcher, events


# -- Address (the shared form mixin) ----------------------------------------------------------

async def test_malformed_postcode_gets_a_kind_reask(backoffice_env):
    t = tracker("an1 1a", slots={"requested_slot": "postcode"}, form="bin_day_form")
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "doesn't look like a postcode" in texts(dispatcher)
    assert slot_events(events)["postcode"] is None
    assert slot_events(events)["requested_slot"] == "postcode"


async def test_unknown_postcode_is_named_as_unknown(backoffice_env):
    t = tracker("ZZ9 9ZZ", slots={"requested_slot": "postcode"}, form="bin_day_form")
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "can't find any addresses at ZZ9 9ZZ" in texts(dispatcher)
    assert slot_events(events)["postcode"] is None


async def test_postcode_in_a_sentence_is_found_and_addresses_offered(backoffice_env):
    t = tracker("it's an1 1aa thanks", slots={"requested_slot": "postcode"},
                form="bin_day_form")
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_events(events)["postcode"] == "AN1 1AA"
    assert slot_events(events)["requested_slot"] == "uprn"
    dispatcher, _ = await run(ActionAskUprn(), tracker(slots={"postcode": "AN1 1AA"}))
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [f"10000000010{n}" for n in (1, 2, 3, 4)]
    assert buttons[3]["title"] == "4 Acacia Avenue"


@pytest.mark.parametrize("typed, uprn", [("number 4", ACACIA_4), (ACACIA_1, ACACIA_1),
                                         ("4 acacia avenue", ACACIA_4)])
async def test_typed_house_number_or_button_picks_the_address(backoffice_env, typed, uprn):
    t = tracker(typed, slots={"requested_slot": "uprn", "postcode": "AN1 1AA"},
                form="bin_day_form")
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_events(events)["uprn"] == uprn
    assert slot_events(events)["requested_slot"] is None


async def test_request_for_a_person_is_not_taken_as_a_postcode(backoffice_env):
    t = tracker("can i talk to a person", "request_human",
                slots={"requested_slot": "postcode"}, form="bin_day_form")
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "postcode" not in slot_events(events)


# -- A remembered address ---------------------------------------------------------------------

REMEMBERED = {"postcode": "AN1 1AA", "uprn": ACACIA_1, "bin_address": "1 Acacia Avenue"}
FORMS = {"bin_day_form": ValidateBinDayForm, "bin_missed_form": ValidateBinMissedForm,
         "bin_bulky_form": ValidateBinBulkyForm, "bin_container_form": ValidateBinContainerForm}
OPENINGS = {"bin_day_form": ("when is my bin day", "bin_day"),
            "bin_missed_form": ("my bin wasn't emptied", "bin_missed"),
            "bin_bulky_form": ("collect an old sofa", "bin_bulky"),
            "bin_container_form": ("my bin was stolen", "bin_container")}


def journey_start(form: str, slots: dict, text: str | None = None, intent: str | None = None,
                  entities: list[dict] | None = None) -> Tracker:
    """What Rasa sends when `form` starts: the form became the active loop after the latest
    message, and every required slot already filled, however long ago, is sent again as a
    value to validate."""
    text, intent = text or OPENINGS[form][0], intent or OPENINGS[form][1]
    required = DOMAIN["forms"][form]["required_slots"]
    t = tracker(text, intent, slots=slots, entities=entities, form=form)
    t.events += [{"event": "active_loop", "name": form},
                 {"event": "slot", "name": "requested_slot", "value": None},
                 {"event": "action", "name": form},
                 *({"event": "slot", "name": s, "value": slots[s]}
                   for s in required if slots.get(s) is not None)]
    return t


def asked_next(events: list[dict], t: Tracker, form: str) -> str | None:
    """The slot the form asks for next: the one the validation names, or else (as Rasa does
    when `required_slots` is not narrowed) the first empty slot the domain lists."""
    changed = slot_events(events)
    if "requested_slot" in changed:
        return changed["requested_slot"]
    slots = {**t.slots, **changed}
    return next((s for s in DOMAIN["forms"][form]["required_slots"] if slots.get(s) is None),
                None)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("last_journey", ["finished", "left part way"])
async def test_new_journey_asks_before_reusing_the_remembered_address(backoffice_env, form,
                                                                      last_journey):
    slots = {**REMEMBERED, "bin_use_saved_address": True if last_journey != "finished" else None}
    t = journey_start(form, slots)
    _dispatcher, events = await run(FORMS[form](), t)
    assert asked_next(events, t, form) == "bin_use_saved_address"
    assert slot_events(events).get("uprn", ACACIA_1) == ACACIA_1
    assert not slot_events(events).get("bin_use_saved_address")


async def test_first_journey_asks_the_postcode_not_about_reuse(backoffice_env):
    t = journey_start("bin_day_form", {})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert asked_next(events, t, "bin_day_form") == "postcode"


async def test_yes_reuses_the_remembered_address(backoffice_env):
    t = tracker("yes", "affirm", form="bin_missed_form",
                slots={**REMEMBERED, "requested_slot": "bin_use_saved_address"},
                just_set={"bin_use_saved_address": True})
    _dispatcher, events = await run(ValidateBinMissedForm(), t)
    assert asked_next(events, t, "bin_missed_form") == "bin_service"
    assert slot_events(events).get("uprn", ACACIA_1) == ACACIA_1


async def test_no_forgets_the_remembered_address_and_asks_the_postcode(backoffice_env):
    t = tracker("no", "deny", form="bin_day_form",
                slots={**REMEMBERED, "requested_slot": "bin_use_saved_address"},
                just_set={"bin_use_saved_address": False})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert {k: slot_events(events)[k] for k in ("postcode", "uprn", "bin_address")} == \
        {"postcode": None, "uprn": None, "bin_address": None}
    assert asked_next(events, t, "bin_day_form") == "postcode"
    slots = {**t.slots, **slot_events(events), "requested_slot": "postcode"}
    t = tracker("AN2 3CC", slots=slots, form="bin_day_form", just_set={"postcode": "AN2 3CC"})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert asked_next(events, t, "bin_day_form") == "uprn"
    slots = {**t.slots, **slot_events(events)}
    t = tracker("10", slots=slots, form="bin_day_form", just_set={"uprn": "10"})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_events(events)["uprn"] == CHURCH_10
    assert asked_next(events, t, "bin_day_form") is None


async def test_postcode_given_with_the_request_replaces_the_remembered_address(backoffice_env):
    t = journey_start("bin_day_form", {**REMEMBERED, "postcode": "AN2 3CC"},
                      text="when are bins collected at AN2 3CC",
                      entities=[{"entity": "postcode", "value": "AN2 3CC"}])
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_events(events)["uprn"] is None
    assert asked_next(events, t, "bin_day_form") == "uprn"
    assert "couldn't match" not in texts(dispatcher)


async def test_new_journey_forgets_what_the_last_one_was_told(backoffice_env):
    left = {**REMEMBERED, "bin_use_saved_address": True, "bin_container": "general",
            "bin_container_reason": "stolen", "bin_quote": "2500", "bin_service": "food"}
    t = journey_start("bin_missed_form", left)
    _dispatcher, events = await run(ValidateBinMissedForm(), t)
    forgotten = ("bin_container", "bin_container_reason", "bin_quote", "bin_service")
    assert all(slot_events(events)[name] is None for name in forgotten)
    # Unless the opening message says it again.
    t = journey_start("bin_missed_form", {**left, "bin_service": "recycling"},
                      text="my recycling wasn't emptied",
                      entities=[{"entity": "bin_type", "value": "recycling"}])
    _dispatcher, events = await run(ValidateBinMissedForm(), t)
    assert slot_events(events)["bin_service"] == "recycling"
    assert asked_next(events, t, "bin_missed_form") == "bin_use_saved_address"


# -- Bin day ----------------------------------------------------------------------------------

async def test_bin_day_lists_services_and_marks_bank_holiday_move(backoffice_env):
    dispatcher, events = await run(ActionBinDay(), tracker(slots={"uprn": CHURCH_10}))
    said = texts(dispatcher)
    assert "Collections at 10 Church Lane" in said
    assert "Tuesday 29 December: garden waste (brown bin), moved from Friday 25 December " \
           "because of the Christmas Day bank holiday" in said
    assert slot_events(events)["bin_backoffice_failed"] is False


async def test_is_it_recycling_this_week_gets_a_direct_answer(backoffice_env):
    asked = tracker("is it recycling this week", "bin_day").events
    t = tracker("1", slots={"uprn": ACACIA_1, "bin_service": "recycling"}, events=asked)
    dispatcher, events = await run(ActionBinDay(), t)
    assert dispatcher.messages[0]["text"].startswith(
        "Yes, your next recycling (blue bin) collection is tomorrow (Tuesday 22 December)")
    assert slot_events(events)["bin_service"] is None


async def test_when_is_the_brown_bin_gets_the_date_not_a_yes_or_no(backoffice_env):
    asked = tracker("when is the next brown bin day", "bin_day").events
    t = tracker("10 church lane", slots={"uprn": CHURCH_10, "bin_service": "garden"},
                events=asked)
    dispatcher, _ = await run(ActionBinDay(), t)
    assert dispatcher.messages[0]["text"].startswith(
        "Your next garden waste (brown bin) collection is ")


async def test_bin_day_when_back_office_is_down_offers_staff(backoffice_env):
    backoffice_env.set_faults(outage=True)
    dispatcher, events = await run(ActionBinDay(), tracker(slots={"uprn": ACACIA_1}))
    assert dispatcher.messages == [{**dispatcher.messages[0],
                                    "response": "utter_backoffice_unavailable"}]
    assert slot_events(events)["bin_backoffice_failed"] is True
    assert slot_events(events)["bin_outcome"] is None


# -- Missed bins ------------------------------------------------------------------------------

def missed(uprn: str, service: str, **slots) -> Tracker:
    return tracker(service, slots={"postcode": "AN1 1AA", "uprn": uprn, "bin_address": "x",
                                   "bin_use_saved_address": True,
                                   "requested_slot": "bin_service", **slots},
                   form="bin_missed_form")


async def test_missed_bin_refused_when_crew_logged_not_presented(backoffice_env):
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_4, "black bin"))
    assert 'recorded "bin not presented"' in texts(dispatcher)
    assert slot_events(events)["bin_outcome"] == "refused"
    assert slot_events(events)["requested_slot"] is None


async def test_missed_bin_too_early_says_crews_are_out(backoffice_env):
    backoffice_env.pin("2026-12-22T11:00:00")
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "recycling"))
    assert "Crews are out until 16:00" in texts(dispatcher)
    assert slot_events(events)["bin_outcome"] == "refused"


async def test_missed_bin_too_late_says_so(backoffice_env):
    backoffice_env.pin("2026-12-24T11:00:00")
    dispatcher, _ = await run(ValidateBinMissedForm(), missed(ACACIA_1, "food"))
    assert "too late" in texts(dispatcher)


async def test_missed_bin_reported_after_confirmation(backoffice_env):
    backoffice_env.pin("2026-12-22T17:00:00")
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "the blue one"))
    assert "was due on Tuesday 22 December" in texts(dispatcher)
    assert slot_events(events)["requested_slot"] == "bin_confirm"
    confirmed = tracker("yes", "affirm", slots={"uprn": ACACIA_1, "bin_service": "recycling",
                                                "bin_confirm": True})
    dispatcher, events = await run(ActionBinMissed(), confirmed)
    reference = slot_events(events)["bin_report_reference"]
    assert reference.startswith("MB-")
    assert f"Your reference is {reference}" in texts(dispatcher)
    assert "by Thursday 24 December" in texts(dispatcher)
    # A second report of the same round gives the existing reference.
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "recycling"))
    assert reference in texts(dispatcher)


async def test_missed_bin_not_reported_when_declined(backoffice_env):
    declined = tracker("no", "deny", slots={"uprn": ACACIA_1, "bin_service": "recycling",
                                            "bin_confirm": False})
    dispatcher, _ = await run(ActionBinMissed(), declined)
    assert texts(dispatcher) == "OK, I haven't reported it."


async def test_missed_bin_check_failure_ends_the_form_and_offers_staff(backoffice_env):
    backoffice_env.set_faults(outage=True)
    _dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "food"))
    assert slot_events(events)["bin_outcome"] == "failed"
    assert slot_events(events)["requested_slot"] is None
    dispatcher, events = await run(ActionBinMissed(), tracker(slots={"bin_outcome": "failed"}))
    assert dispatcher.messages[0]["response"] == "utter_backoffice_unavailable"
    assert slot_events(events)["bin_backoffice_failed"] is True


# -- Bulky waste ------------------------------------------------------------------------------

async def test_bulky_items_from_the_first_message_are_priced(backoffice_env):
    t = tracker("can you collect a sofa and two chairs", "bin_bulky", form="bin_bulky_form")
    dispatcher, events = await run(ValidateBinBulkyForm(), t)
    assert "sofa and 2 x chair costs £30.00" in texts(dispatcher)
    assert json.loads(slot_events(events)["bin_bulky_items"]) == {"sofa": 1, "chair": 2}
    assert slot_events(events)["requested_slot"] == "postcode"


async def test_bulky_item_not_taken_gets_advice(backoffice_env):
    t = tracker("some paint tins and a fridge", slots={"requested_slot": "bin_bulky_items"},
                form="bin_bulky_form")
    dispatcher, events = await run(ValidateBinBulkyForm(), t)
    assert "We can't collect paint" in texts(dispatcher)
    assert "fridge costs £45.00" in texts(dispatcher)
    assert json.loads(slot_events(events)["bin_bulky_items"]) == {"fridge": 1}


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
    reference = slot_events(events)["bin_report_reference"]
    assert reference.startswith("BW-")
    assert f"Your reference is {reference} and the charge is £30.00" in texts(dispatcher)


# -- Containers -------------------------------------------------------------------------------

def container(uprn: str, container_: str, reason: str) -> Tracker:
    return tracker(slots={"postcode": "AN2 3CC", "uprn": uprn, "bin_use_saved_address": True,
                          "bin_container": container_, "bin_container_reason": reason,
                          "bin_address": "x", "requested_slot": "uprn"},
                   form="bin_container_form")


async def test_container_charge_is_given_before_confirmation(backoffice_env):
    dispatcher, events = await run(ValidateBinContainerForm(), container(CHURCH_12, "general",
                                                                         "stolen"))
    assert "costs £25.00" in texts(dispatcher)
    assert slot_events(events)["requested_slot"] == "bin_confirm"


async def test_garden_bin_refused_without_subscription(backoffice_env):
    dispatcher, events = await run(ValidateBinContainerForm(), container(CHURCH_12, "garden",
                                                                         "new"))
    assert "subscription" in texts(dispatcher)
    assert slot_events(events)["bin_outcome"] == "refused"


async def test_container_ordered_and_free_when_crew_damaged_it(backoffice_env):
    t = tracker("yes", "affirm", slots={"uprn": CHURCH_12, "bin_container": "general",
                                        "bin_container_reason": "damaged", "bin_confirm": True},
                events=[{"event": "user", "text": "the bin men broke my bin"}])
    dispatcher, events = await run(ActionBinContainer(), t)
    assert slot_events(events)["bin_report_reference"].startswith("CR-")
    assert "the charge" not in texts(dispatcher)


async def test_refused_order_is_not_followed_by_a_second_no(backoffice_env):
    t = tracker(slots={"uprn": CHURCH_12, "bin_outcome": "refused", "bin_confirm": None})
    dispatcher, events = await run(ActionBinContainer(), t)
    assert dispatcher.messages == []
    assert slot_events(events)["bin_outcome"] is None


async def test_repeated_order_is_refused_with_the_open_requests_reference(backoffice_env):
    confirmed = {"uprn": CHURCH_12, "bin_container": "recycling",
                 "bin_container_reason": "replacement", "bin_confirm": True}
    _dispatcher, events = await run(ActionBinContainer(), tracker(slots=confirmed))
    reference = slot_events(events)["bin_report_reference"]
    again = tracker(slots=confirmed)
    again.sender_id = "another-conversation"  # not a retry of the first order
    dispatcher, events = await run(ActionBinContainer(), again)
    assert texts(dispatcher) == "Sorry, I couldn't order it: A request for this container is " \
        f"already open. (reference {reference})"
    assert "bin_report_reference" not in slot_events(events)


# -- Which bin --------------------------------------------------------------------------------

async def test_which_bin_answers_from_the_a_to_z(backoffice_env):
    dispatcher, _ = await run(ActionBinWhich(), tracker(slots={"bin_waste_item": "pizza boxes"}))
    assert texts(dispatcher).startswith("Pizza box: recycling (blue bin).")


async def test_unknown_item_gets_nearest_matches_as_buttons_not_a_guess(backoffice_env):
    dispatcher, _ = await run(ActionBinWhich(), tracker(slots={"bin_waste_item": "piza box"}))
    message = dispatcher.messages[0]
    assert "Did you mean" in message["text"] and "recycling" not in message["text"]
    assert message["buttons"][0] == {"title": "pizza box",
                                     "payload": '/bin_which{"waste_item": "pizza box"}'}


async def test_which_bin_during_another_journey_keeps_that_journey(backoffice_env):
    t = tracker("which bin for batteries", "bin_which", form="bin_day_form",
                entities=[{"entity": "waste_item", "value": "batteries"}])
    dispatcher, events = await run(ActionBinWhich(), t)
    assert "Household Waste Recycling Centre" in texts(dispatcher)
    assert slot_events(events) == {"bin_waste_item": None}


def test_every_a_to_z_item_is_in_the_nlu_lookup_table():
    nlu = yaml.safe_load((ROOT / "data/nlu/waste.yml").read_text())["nlu"]
    lookup = next(b for b in nlu if b.get("lookup") == "waste_item")["examples"]
    names = {line.strip()[2:] for line in lookup.splitlines() if line.strip()}
    assert {item.name for item in A_TO_Z} <= names


# -- A person -----------------------------------------------------------------------------------

async def test_person_asked_for_mid_journey_gets_uprn_and_what_was_asked():
    t = tracker("put me through to someone", "request_human",
                slots={"uprn": ACACIA_1, "bin_address": "1 Acacia Avenue",
                       "bin_service": "recycling"},
                events=[{"event": "active_loop", "name": "bin_missed_form"}])
    dispatcher, events = await run(ActionBinHandoff(), t)
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert handoff["topic"] == "waste"
    assert handoff["references"] == {"uprn": ACACIA_1}
    assert handoff["summary"].startswith(
        "Resident wanted to report a missed bin collection, at 1 Acacia Avenue, bin: recycling")
    assert events[0] == {"event": "pause", "timestamp": None}
