"""The bin journeys' actions against the stub back office over HTTP."""

from __future__ import annotations

import yaml
from rasa_sdk import Tracker

from actions.waste.actions import (
    ActionBinContainer,
    ActionBinDay,
    ActionBinHandoff,
    ActionBinMissed,
    ActionBinWhich,
)
from actions.waste.forms import (
    ValidateBinContainerForm,
    ValidateBinMissedForm,
)
from bot.backoffice.waste_items import A_TO_Z
from tests.actions.helpers import slot_values, texts
from tests.actions.waste.trackers import (
    ACACIA_1,
    ACACIA_4,
    CHURCH_10,
    CHURCH_12,
    ROOT,
    run,
    tracker,
)

# -- Bin day ----------------------------------------------------------------------------------

async def test_bin_day_lists_services_and_marks_bank_holiday_move(backoffice_env):
    dispatcher, events = await run(ActionBinDay(), tracker(slots={"uprn": CHURCH_10}))
    said = texts(dispatcher)
    assert "Collections at 10 Church Lane" in said
    assert "Tuesday 29 December: garden waste (brown bin), moved from Friday 25 December " \
           "because of the Christmas Day bank holiday" in said
    assert slot_values(events)["bin_backoffice_failed"] is False


async def test_is_it_recycling_this_week_gets_a_direct_answer(backoffice_env):
    asked = tracker("is it recycling this week", "bin_day").events
    t = tracker("1", slots={"uprn": ACACIA_1, "bin_service": "recycling"}, events=asked)
    dispatcher, events = await run(ActionBinDay(), t)
    assert dispatcher.messages[0]["text"].startswith(
        "Yes, your next recycling (blue bin) collection is tomorrow (Tuesday 22 December)")
    assert slot_values(events)["bin_service"] is None


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
    assert slot_values(events)["bin_backoffice_failed"] is True
    assert slot_values(events)["bin_outcome"] is None


# -- Missed bins ------------------------------------------------------------------------------

def missed(uprn: str, service: str, **slots) -> Tracker:
    return tracker(service, slots={"postcode": "AN1 1AA", "uprn": uprn, "bin_address": "x",
                                   "bin_use_saved_address": True,
                                   "requested_slot": "bin_service", **slots},
                   form="bin_missed_form")


async def test_missed_bin_refused_when_crew_logged_not_presented(backoffice_env):
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_4, "black bin"))
    assert 'recorded "bin not presented"' in texts(dispatcher)
    assert slot_values(events)["bin_outcome"] == "refused"
    assert slot_values(events)["requested_slot"] is None


async def test_missed_bin_too_early_says_crews_are_out(backoffice_env):
    backoffice_env.pin("2026-12-22T11:00:00")
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "recycling"))
    assert "Crews are out until 16:00" in texts(dispatcher)
    assert slot_values(events)["bin_outcome"] == "refused"


async def test_missed_bin_too_late_says_so(backoffice_env):
    backoffice_env.pin("2026-12-24T11:00:00")
    dispatcher, _ = await run(ValidateBinMissedForm(), missed(ACACIA_1, "food"))
    assert "too late" in texts(dispatcher)


async def test_missed_bin_reported_after_confirmation(backoffice_env):
    backoffice_env.pin("2026-12-22T17:00:00")
    dispatcher, events = await run(ValidateBinMissedForm(), missed(ACACIA_1, "the blue one"))
    assert "was due on Tuesday 22 December" in texts(dispatcher)
    assert slot_values(events)["requested_slot"] == "bin_confirm"
    confirmed = tracker("yes", "affirm", slots={"uprn": ACACIA_1, "bin_service": "recycling",
                                                "bin_confirm": True})
    dispatcher, events = await run(ActionBinMissed(), confirmed)
    reference = slot_values(events)["bin_report_reference"]
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
    assert slot_values(events)["bin_outcome"] == "failed"
    assert slot_values(events)["requested_slot"] is None
    dispatcher, events = await run(ActionBinMissed(), tracker(slots={"bin_outcome": "failed"}))
    assert dispatcher.messages[0]["response"] == "utter_backoffice_unavailable"
    assert slot_values(events)["bin_backoffice_failed"] is True


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
    assert slot_values(events)["requested_slot"] == "bin_confirm"


async def test_garden_bin_refused_without_subscription(backoffice_env):
    dispatcher, events = await run(ValidateBinContainerForm(), container(CHURCH_12, "garden",
                                                                         "new"))
    assert "subscription" in texts(dispatcher)
    assert slot_values(events)["bin_outcome"] == "refused"


async def test_container_ordered_and_free_when_crew_damaged_it(backoffice_env):
    t = tracker("yes", "affirm", slots={"uprn": CHURCH_12, "bin_container": "general",
                                        "bin_container_reason": "damaged", "bin_confirm": True},
                events=[{"event": "user", "text": "the bin men broke my bin"}])
    dispatcher, events = await run(ActionBinContainer(), t)
    assert slot_values(events)["bin_report_reference"].startswith("CR-")
    assert "the charge" not in texts(dispatcher)


async def test_refused_order_is_not_followed_by_a_second_no(backoffice_env):
    t = tracker(slots={"uprn": CHURCH_12, "bin_outcome": "refused", "bin_confirm": None})
    dispatcher, events = await run(ActionBinContainer(), t)
    assert dispatcher.messages == []
    assert slot_values(events)["bin_outcome"] is None


async def test_repeated_order_is_refused_with_the_open_requests_reference(backoffice_env):
    confirmed = {"uprn": CHURCH_12, "bin_container": "recycling",
                 "bin_container_reason": "replacement", "bin_confirm": True}
    _dispatcher, events = await run(ActionBinContainer(), tracker(slots=confirmed))
    reference = slot_values(events)["bin_report_reference"]
    again = tracker(slots=confirmed)
    again.sender_id = "another-conversation"  # not a retry of the first order
    dispatcher, events = await run(ActionBinContainer(), again)
    assert texts(dispatcher) == "Sorry, I couldn't order it: A request for this container is " \
        f"already open. (reference {reference})"
    assert "bin_report_reference" not in slot_values(events)


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
    assert slot_values(events) == {"bin_waste_item": None}


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
