"""Bulky waste: the items and their price, the collection dates offered, and the booking.

The form's shared steps (address, confirmation) are in actions/waste/forms.py; the other
bin journeys' actions in actions/waste/actions.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import run_blocking, waste_client
from actions.backoffice.errors import BackOfficeError, BackOfficeRejected
from actions.common.forms import intent_of, latest_text, wants_something_else
from actions.waste import FAILED, replies
from actions.waste.actions import ConfirmedChange
from actions.waste.forms import WasteFormValidation
from actions.waste.parsing import parse_bulky_items, spoken_date


class ValidateBinBulkyForm(WasteFormValidation):
    own_intents = frozenset({"bin_bulky"})

    def name(self) -> str:
        return "validate_bin_bulky_form"

    async def extract_bin_bulky_items(self, dispatcher, tracker: Tracker,
                                      domain) -> dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        intent = intent_of(tracker)
        first_turn = tracker.get_slot("bin_bulky_items") is None and intent == "bin_bulky"
        if requested != "bin_bulky_items" and not first_turn:
            return {}
        if requested == "bin_bulky_items" and wants_something_else(tracker, self.own_intents):
            return {}
        return {"bin_bulky_items": latest_text(tracker)} if latest_text(tracker) else {}

    async def validate_bin_bulky_items(self, slot_value: Any, dispatcher, tracker,
                                       domain) -> dict[str, Any]:
        if isinstance(slot_value, str) and slot_value.startswith("{"):
            return {"bin_bulky_items": slot_value}
        client = waste_client()
        try:
            catalogue = await run_blocking(client.get_bulky_catalogue)
            names = {n: i.name for i in catalogue.items for n in (i.name, *i.aliases)}
            names.update({n: n for n in catalogue.not_accepted})
            items, unknown = parse_bulky_items(str(slot_value or ""), names)
            refused = {n: catalogue.not_accepted[n] for n in items if n in catalogue.not_accepted}
            for name, advice in refused.items():
                dispatcher.utter_message(text=replies.cannot_collect(name, advice))
                del items[name]
            if not items:
                # On the opening message the form's own question follows; no need for two.
                if tracker.get_slot("requested_slot") == "bin_bulky_items":
                    dispatcher.utter_message(text=replies.ASK_ITEMS)
                return {"bin_bulky_items": None}
            quote = await run_blocking(client.quote_bulky, items)
        except BackOfficeRejected as error:
            dispatcher.utter_message(text=replies.items_again(error.message))
            return {"bin_bulky_items": None}
        except BackOfficeError:
            return {"bin_bulky_items": None, "bin_outcome": FAILED}
        if unknown:
            dispatcher.utter_message(text=replies.not_recognised(unknown))
        dispatcher.utter_message(text=replies.bulky_quote(quote))
        return {"bin_bulky_items": json.dumps(quote.items)}

    async def extract_bin_slot(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "bin_slot":
            return {}
        text = latest_text(tracker)
        if not text or wants_something_else(tracker, self.own_intents):
            return {}
        return {"bin_slot": text}

    async def validate_bin_slot(self, slot_value: Any, dispatcher, tracker,
                                domain) -> dict[str, Any]:
        try:
            slots = await run_blocking(waste_client().get_bulky_slots, tracker.get_slot("uprn"))
        except BackOfficeError:
            return {"bin_slot": None, "bin_outcome": FAILED}
        text = str(slot_value or "").strip().lower()
        for slot in slots:
            if slot.available and text in (slot.date.isoformat(),
                                           spoken_date(slot.date).lower()):
                return {"bin_slot": slot.date.isoformat()}
        dispatcher.utter_message(text=replies.NOT_AN_OFFERED_DATE)
        return {"bin_slot": None}

    async def before_confirmation(self, dispatcher, tracker: Tracker) -> dict[str, Any]:
        items = json.loads(tracker.get_slot("bin_bulky_items"))
        day = date.fromisoformat(tracker.get_slot("bin_slot"))
        dispatcher.utter_message(text=replies.bulky_to_confirm(
            items, tracker.get_slot("bin_address"), day))
        return {"bin_quote": "ready"}


class ActionBinBulky(ConfirmedChange):
    """Books the confirmed bulky waste collection."""

    declined, doing = replies.NOT_BOOKED, "book it"

    def name(self) -> str:
        return "action_bin_bulky"

    async def change(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> str:
        items = json.loads(tracker.get_slot("bin_bulky_items"))
        slot = date.fromisoformat(tracker.get_slot("bin_slot"))
        key = f"{tracker.sender_id}:bulky:{slot.isoformat()}:{json.dumps(items, sort_keys=True)}"
        booking = await run_blocking(waste_client().book_bulky, tracker.get_slot("uprn"),
                                     slot, items, idempotency_key=key)
        dispatcher.utter_message(text=replies.bulky_booked(booking))
        return booking.reference

    def rejected(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                 error: BackOfficeRejected) -> None:
        if error.code != "slot_full":
            super().rejected(dispatcher, tracker, error)
            return
        day = date.fromisoformat(tracker.get_slot("bin_slot"))
        dispatcher.utter_message(text=replies.slot_just_filled(day))


class ActionAskBinSlot(Action):
    """Offers the bulky waste dates still open on the property's round, as buttons."""

    def name(self) -> str:
        return "action_ask_bin_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        try:
            slots = await run_blocking(waste_client().get_bulky_slots, tracker.get_slot("uprn"))
        except BackOfficeError:
            slots = []
        open_slots = [s for s in slots if s.available][:5]
        if not open_slots:
            dispatcher.utter_message(text=replies.NO_FREE_DATE,
                                     buttons=[{"title": "Talk to a person",
                                               "payload": "/request_human"},
                                              {"title": "Cancel", "payload": "/stop"}])
            return []
        dispatcher.utter_message(
            text=replies.WHICH_DATE,
            buttons=[{"title": spoken_date(s.date), "payload": s.date.isoformat()}
                     for s in open_slots])
        return []
