"""The bin forms' address steps: finding the property, and reusing a remembered one."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.common.forms import ActionAskUprn
from actions.waste.bulky import ValidateBinBulkyForm
from actions.waste.forms import (
    ValidateBinContainerForm,
    ValidateBinDayForm,
    ValidateBinMissedForm,
)
from tests.actions.helpers import slot_values, texts
from tests.actions.waste.trackers import (
    ACACIA_1,
    ACACIA_4,
    CHURCH_10,
    DOMAIN,
    run,
    tracker,
)

# -- Address (the shared form mixin) ----------------------------------------------------------

async def test_malformed_postcode_gets_a_kind_reask(backoffice_env):
    t = tracker("an1 1a", slots={"requested_slot": "postcode"}, form="bin_day_form")
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "doesn't look like a postcode" in texts(dispatcher)
    assert slot_values(events)["postcode"] is None
    assert slot_values(events)["requested_slot"] == "postcode"


async def test_unknown_postcode_is_named_as_unknown(backoffice_env):
    t = tracker("ZZ9 9ZZ", slots={"requested_slot": "postcode"}, form="bin_day_form")
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "can't find any addresses at ZZ9 9ZZ" in texts(dispatcher)
    assert slot_values(events)["postcode"] is None


async def test_postcode_in_a_sentence_is_found_and_addresses_offered(backoffice_env):
    t = tracker("it's an1 1aa thanks", slots={"requested_slot": "postcode"},
                form="bin_day_form")
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_values(events)["postcode"] == "AN1 1AA"
    assert slot_values(events)["requested_slot"] == "uprn"
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
    assert slot_values(events)["uprn"] == uprn
    assert slot_values(events)["requested_slot"] is None


async def test_request_for_a_person_is_not_taken_as_a_postcode(backoffice_env):
    t = tracker("can i talk to a person", "request_human",
                slots={"requested_slot": "postcode"}, form="bin_day_form")
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert "postcode" not in slot_values(events)


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
    changed = slot_values(events)
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
    assert slot_values(events).get("uprn", ACACIA_1) == ACACIA_1
    assert not slot_values(events).get("bin_use_saved_address")


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
    assert slot_values(events).get("uprn", ACACIA_1) == ACACIA_1


async def test_no_forgets_the_remembered_address_and_asks_the_postcode(backoffice_env):
    t = tracker("no", "deny", form="bin_day_form",
                slots={**REMEMBERED, "requested_slot": "bin_use_saved_address"},
                just_set={"bin_use_saved_address": False})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert {k: slot_values(events)[k] for k in ("postcode", "uprn", "bin_address")} == \
        {"postcode": None, "uprn": None, "bin_address": None}
    assert asked_next(events, t, "bin_day_form") == "postcode"
    slots = {**t.slots, **slot_values(events), "requested_slot": "postcode"}
    t = tracker("AN2 3CC", slots=slots, form="bin_day_form", just_set={"postcode": "AN2 3CC"})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert asked_next(events, t, "bin_day_form") == "uprn"
    slots = {**t.slots, **slot_values(events)}
    t = tracker("10", slots=slots, form="bin_day_form", just_set={"uprn": "10"})
    _dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_values(events)["uprn"] == CHURCH_10
    assert asked_next(events, t, "bin_day_form") is None


async def test_postcode_given_with_the_request_replaces_the_remembered_address(backoffice_env):
    t = journey_start("bin_day_form", {**REMEMBERED, "postcode": "AN2 3CC"},
                      text="when are bins collected at AN2 3CC",
                      entities=[{"entity": "postcode", "value": "AN2 3CC"}])
    dispatcher, events = await run(ValidateBinDayForm(), t)
    assert slot_values(events)["uprn"] is None
    assert asked_next(events, t, "bin_day_form") == "uprn"
    assert "couldn't match" not in texts(dispatcher)


async def test_new_journey_forgets_what_the_last_one_was_told(backoffice_env):
    left = {**REMEMBERED, "bin_use_saved_address": True, "bin_container": "general",
            "bin_container_reason": "stolen", "bin_quote": "2500", "bin_service": "food"}
    t = journey_start("bin_missed_form", left)
    _dispatcher, events = await run(ValidateBinMissedForm(), t)
    forgotten = ("bin_container", "bin_container_reason", "bin_quote", "bin_service")
    assert all(slot_values(events)[name] is None for name in forgotten)
    # Unless the opening message says it again.
    t = journey_start("bin_missed_form", {**left, "bin_service": "recycling"},
                      text="my recycling wasn't emptied",
                      entities=[{"entity": "bin_type", "value": "recycling"}])
    _dispatcher, events = await run(ValidateBinMissedForm(), t)
    assert slot_values(events)["bin_service"] == "recycling"
    assert asked_next(events, t, "bin_missed_form") == "bin_use_saved_address"
