"""Validation of the bin journeys' forms: a new journey, address reuse, bin, container, checks.

Each form's check before confirmation is here too; bulky waste's own steps are in
actions/waste/bulky.py.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.backoffice import run_blocking, waste_client
from actions.backoffice.address import Address
from actions.backoffice.errors import BackOfficeError
from actions.common.forms import AddressFormMixin, latest_text, wants_something_else
from actions.waste import ENTITY_SLOTS, FAILED, JOURNEY_SLOTS, REFUSED, replies
from actions.waste.parsing import (
    bin_type_in,
    container_reason_in,
)


def said_now(tracker: Tracker) -> set[str]:
    """The slots the latest message filled through an entity."""
    entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    return {slot for entity, slot in ENTITY_SLOTS.items() if entity in entities}


def started_this_turn(tracker: Tracker, form: str) -> bool:
    """Whether `form` became the active loop after the resident's latest message: its first run.
    (Rasa already shows the new form as the active loop when it first asks for validation.)"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def drop_slot_candidates(tracker: Tracker, names: set[str]) -> None:
    """Stop `names` being validated in this run: Rasa sends the values to validate as the
    `slot` events that end the tracker, and on a form's first run those include every
    required slot already filled, however long ago."""
    start = len(tracker.events)
    while start and tracker.events[start - 1].get("event") == "slot":
        start -= 1
    tracker.events[start:] = [e for e in tracker.events[start:] if e.get("name") not in names]


class WasteFormValidation(AddressFormMixin, FormValidationAction):
    """Base of the bin forms. A form ends early once `bin_outcome` is set (refused/failed).

    A journey starts with the form's first run. Then the last journey's answers are forgotten
    unless the opening message gives them again, and a remembered address is kept without
    being checked or confirmed: the form asks "Use <address> again?" (`bin_use_saved_address`)
    before it is reused. A "no" forgets it and the postcode is asked; a postcode given at any
    point replaces it.
    """

    own_intents = frozenset()

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server does not register this base as an action."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        started = self.new_journey(tracker) if started_this_turn(tracker, self.form_name()) \
            else []
        return [*started, *await super().run(dispatcher, tracker, domain)]

    @staticmethod
    def new_journey(tracker: Tracker) -> list[EventType]:
        given = said_now(tracker)
        stale = [s for s in JOURNEY_SLOTS if s not in given and tracker.get_slot(s) is not None]
        for slot in stale:
            tracker.slots[slot] = None
        remembered = {"uprn"} | ({"postcode"} - given)
        drop_slot_candidates(tracker, set(stale) | remembered)
        return [SlotSet(slot, None) for slot in stale]

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        if tracker.get_slot("bin_outcome"):
            return []
        saved = tracker.get_slot("bin_use_saved_address")
        # Kept while False too, so that the "no" is validated (and the old address dropped).
        reuse = saved is False or (tracker.get_slot("uprn") and saved is None)
        return [s for s in domain_slots if reuse or s != "bin_use_saved_address"]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[dict[str, Any]]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        slots = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = [s for s in slots if tracker.get_slot(s) is None]
        if missing and missing[0] == "bin_confirm" and tracker.get_slot("bin_quote") is None:
            try:
                extra = await self.before_confirmation(dispatcher, tracker)
            except BackOfficeError:
                extra = {"bin_outcome": FAILED}
            events += [SlotSet(k, v) for k, v in extra.items()]
        return events

    async def before_confirmation(self, dispatcher: CollectingDispatcher,
                                  tracker: Tracker) -> dict[str, Any]:
        """Check with the back office and say what will happen; return the slots to set."""
        return {"bin_quote": "ready"}

    async def on_backoffice_failure(self, dispatcher: CollectingDispatcher,
                                    tracker: Tracker) -> dict[str, Any]:
        return {"bin_outcome": FAILED}

    async def on_address_chosen(self, address: Address, tracker: Tracker) -> dict[str, Any]:
        return {"bin_address": address.line1, "bin_use_saved_address": True}

    async def validate_postcode(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = await super().validate_postcode(slot_value, dispatcher, tracker, domain)
        if not result.get("postcode"):
            return result
        # A postcode given now is this journey's address, whatever was remembered.
        return {"uprn": None, "bin_address": None, "bin_use_saved_address": True, **result}

    async def validate_bin_use_saved_address(self, slot_value: Any, dispatcher, tracker,
                                             domain) -> dict[str, Any]:
        if slot_value:
            return {"bin_use_saved_address": True}
        return {"bin_use_saved_address": False, "postcode": None, "uprn": None,
                "bin_address": None}


class ValidateBinDayForm(WasteFormValidation):
    def name(self) -> str:
        return "validate_bin_day_form"


class ValidateBinMissedForm(WasteFormValidation):
    def name(self) -> str:
        return "validate_bin_missed_form"

    async def extract_bin_service(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "bin_service":
            return {}
        bin_type = bin_type_in(latest_text(tracker))
        return {"bin_service": bin_type} if bin_type else {}

    async def validate_bin_service(self, slot_value: Any, dispatcher, tracker,
                                   domain) -> dict[str, Any]:
        bin_type = bin_type_in(str(slot_value or ""))
        if bin_type is None:
            dispatcher.utter_message(text=replies.WHICH_BIN)
        return {"bin_service": bin_type}

    async def before_confirmation(self, dispatcher: CollectingDispatcher,
                                  tracker: Tracker) -> dict[str, Any]:
        client = waste_client()
        uprn, bin_type = tracker.get_slot("uprn"), tracker.get_slot("bin_service")
        collections = await run_blocking(client.get_collections, uprn)
        service = collections.for_bin_type(bin_type)
        if service is None:
            dispatcher.utter_message(text=replies.cannot_report_missing_service(
                tracker.get_slot("bin_address"), bin_type))
            return {"bin_outcome": REFUSED}
        check = await run_blocking(client.check_missed_bin, uprn, service.service)
        dispatcher.utter_message(text=replies.missed_bin_check(
            check.code, bin_type, check.collection_date, check.window_opens, service.next.date,
            check.reason, check.existing_reference))
        if check.code == "already_reported":
            return {"bin_outcome": REFUSED, "bin_report_reference": check.existing_reference}
        if check.code in ("too_early", "crew_reported", "too_late"):
            return {"bin_outcome": REFUSED}
        return {"bin_service": service.service, "bin_quote": "eligible"}


class ValidateBinContainerForm(WasteFormValidation):
    own_intents = frozenset({"bin_container"})

    def name(self) -> str:
        return "validate_bin_container_form"

    async def extract_bin_container_reason(self, dispatcher, tracker: Tracker,
                                           domain) -> dict[str, Any]:
        if tracker.get_slot("bin_container_reason") is not None:
            return {}
        reason = container_reason_in(latest_text(tracker))
        return {"bin_container_reason": reason} if reason else {}

    async def extract_bin_container(self, dispatcher, tracker: Tracker,
                                    domain) -> dict[str, Any]:
        if tracker.get_slot("bin_container") is not None:
            return {}
        bin_type = bin_type_in(latest_text(tracker))
        return {"bin_container": bin_type} if bin_type else {}

    async def validate_bin_container(self, slot_value: Any, dispatcher, tracker,
                                     domain) -> dict[str, Any]:
        return {"bin_container": bin_type_in(str(slot_value or ""))}

    async def before_confirmation(self, dispatcher, tracker: Tracker) -> dict[str, Any]:
        container, reason = tracker.get_slot("bin_container"), tracker.get_slot(
            "bin_container_reason")
        options = await run_blocking(waste_client().get_container_options,
                                     tracker.get_slot("uprn"))
        option = next(o for o in options if (o.container, o.reason) == (container, reason))
        if not option.available:
            dispatcher.utter_message(text=replies.cannot_order(option.note))
            return {"bin_outcome": REFUSED}
        dispatcher.utter_message(text=replies.container_quote(option, reason))
        return {"bin_quote": str(option.charge_pence)}


class ValidateBinWhichForm(WasteFormValidation):
    own_intents = frozenset({"bin_which"})

    def name(self) -> str:
        return "validate_bin_which_form"

    async def extract_bin_waste_item(self, dispatcher, tracker: Tracker,
                                     domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "bin_waste_item":
            return {}
        if wants_something_else(tracker, self.own_intents):
            return {}
        return {"bin_waste_item": latest_text(tracker)} if latest_text(tracker) else {}
