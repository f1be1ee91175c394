"""The bin journeys' actions: bin day, missed bin, containers and which bin.

Form validation lives in actions/waste/forms.py, bulky waste in actions/waste/bulky.py, pure
parsing in actions/waste/parsing.py and what residents are told in actions/waste/replies.py;
the journeys' slots are named in actions/waste/__init__.py. Every journey ends in one of
these actions (or bulky waste's), which also clears the journey's slots (the address stays,
and is offered again before it is reused).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import run_blocking, waste_client
from actions.backoffice.errors import BackOfficeError, BackOfficeRejected, BackOfficeTimeout
from actions.common.handoff import hand_off
from actions.waste import FAILED, JOURNEY_SLOTS, replies
from actions.waste.parsing import (
    asks_yes_or_no,
    bin_type_in,
    damaged_by_crew,
)

JOURNEY_TOPICS = {
    "bin_day_form": "find out their bin collection days",
    "bin_missed_form": "report a missed bin collection",
    "bin_bulky_form": "book a bulky waste collection",
    "bin_container_form": "order a new or replacement bin",
    "bin_which_form": "find out which bin an item goes in",
}


def finish(failed: bool = False, **slots: Any) -> list[EventType]:
    events = [SlotSet(name, None) for name in JOURNEY_SLOTS if name not in slots]
    events += [SlotSet(name, value) for name, value in slots.items()]
    return [*events, SlotSet("bin_backoffice_failed", failed)]


def failed(dispatcher: CollectingDispatcher) -> list[EventType]:
    """The back office failed: say so with an offer of staff; rules handle the answer."""
    dispatcher.utter_message(response="utter_backoffice_unavailable")
    return finish(failed=True)


def journey_request(tracker: Tracker, intent: str = "bin_day") -> str:
    """What the resident asked when the journey started ("is it recycling this week?")."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and \
                (event.get("parse_data") or {}).get("intent", {}).get("name") == intent:
            return event.get("text") or ""
    return ""


class ActionBinDay(Action):
    """Next collection of each service at the chosen address; answers "is it X this week"."""

    def name(self) -> str:
        return "action_bin_day"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("bin_outcome") == FAILED:
            return failed(dispatcher)
        try:
            found = await run_blocking(waste_client().get_collections, tracker.get_slot("uprn"))
        except BackOfficeError:
            return failed(dispatcher)
        today = found.today
        asked = bin_type_in(tracker.get_slot("bin_service"))
        service = found.for_bin_type(asked) if asked else None
        if asked and service is None:
            dispatcher.utter_message(text=replies.no_such_collection(found.address, asked))
        elif service is not None:
            this_week = None
            if asks_yes_or_no(journey_request(tracker)):
                this_week = (service.next.date - today).days < 7 - today.weekday()
            dispatcher.utter_message(text=replies.next_collection(service, today, this_week))
        dispatcher.utter_message(text=replies.collections(found, today))
        return finish()


class ConfirmedChange(Action, ABC):
    """Base of the journeys that end in a change the resident confirmed: a missed-bin report,
    a bulky waste booking, a container order. A refusal was explained by the form; a "no"
    changes nothing; a back-office failure offers staff."""

    declined = ""  # what is said when the resident says no
    doing = ""  # "Sorry, I couldn't <doing>: <the back office's reason>"

    @abstractmethod
    async def change(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> str:
        """Make the change and tell the resident; return its reference. (Abstract, so the
        action server does not register this base as an action.)"""

    def rejected(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                 error: BackOfficeRejected) -> None:
        dispatcher.utter_message(text=replies.could_not(self.doing, error.message,
                                                        error.details.get("reference")))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        outcome = tracker.get_slot("bin_outcome")
        if outcome == FAILED:
            return failed(dispatcher)
        if outcome or not tracker.get_slot("bin_confirm"):
            if not outcome:
                dispatcher.utter_message(text=self.declined)
            return finish()
        try:
            reference = await self.change(dispatcher, tracker)
        except BackOfficeRejected as error:
            self.rejected(dispatcher, tracker, error)
            return finish()
        except BackOfficeTimeout:
            dispatcher.utter_message(text=replies.change_unconfirmed(self.doing),
                                     buttons=replies.STAFF_OFFER)
            return finish(failed=True)
        except BackOfficeError:
            return failed(dispatcher)
        return finish(bin_report_reference=reference)


class ActionBinMissed(ConfirmedChange):
    """Creates the confirmed missed-bin report."""

    declined, doing = replies.NOT_REPORTED, "report it"

    def name(self) -> str:
        return "action_bin_missed"

    async def change(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> str:
        uprn, service = tracker.get_slot("uprn"), tracker.get_slot("bin_service")
        # Keyed by conversation and collection: a retried action reports it only once.
        report = await run_blocking(waste_client().report_missed_bin, uprn, service,
                                    idempotency_key=f"{tracker.sender_id}:missed:{uprn}:"
                                    f"{service}")
        dispatcher.utter_message(text=replies.missed_bin_reported(report))
        return report.reference


class ActionBinContainer(ConfirmedChange):
    """Orders the confirmed container."""

    declined, doing = replies.NOT_ORDERED, "order it"

    def name(self) -> str:
        return "action_bin_container"

    async def change(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> str:
        uprn = tracker.get_slot("uprn")
        container, reason = tracker.get_slot("bin_container"), tracker.get_slot(
            "bin_container_reason")
        said = " ".join(e.get("text") or "" for e in tracker.events if e.get("event") == "user")
        request = await run_blocking(
            waste_client().request_container, uprn, container, reason,
            damaged_by_crew=reason == "damaged" and damaged_by_crew(said),
            idempotency_key=f"{tracker.sender_id}:container:{uprn}:{container}:{reason}")
        dispatcher.utter_message(text=replies.container_ordered(request))
        return request.reference


class ActionBinWhich(Action):
    """Which bin an item goes in, from the A-Z; an unknown item gets the nearest as buttons."""

    def name(self) -> str:
        return "action_bin_which"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        entity = next(tracker.get_latest_entity_values("waste_item"), None)
        query = (tracker.get_slot("bin_waste_item") or entity or "").strip()
        in_form = tracker.active_loop_name not in (None, "bin_which_form")
        if len(query) < 2:
            dispatcher.utter_message(text=replies.ASK_ITEM)
            return [] if in_form else finish()
        try:
            found = await run_blocking(waste_client().search_items, query)
        except BackOfficeError:
            return [] if in_form else failed(dispatcher)
        if found.match:
            dispatcher.utter_message(text=replies.item_advice(found.match))
        elif found.suggestions:
            dispatcher.utter_message(
                text=replies.did_you_mean(query),
                buttons=[{"title": s.name,
                          "payload": f'/bin_which{{"waste_item": "{s.name}"}}'}
                         for s in found.suggestions[:4]])
        else:
            dispatcher.utter_message(text=replies.item_not_found(query))
        return [SlotSet("bin_waste_item", None)] if in_form else finish()


class ActionBinReset(Action):
    """After `stop`: forget the journey (not the address)."""

    def name(self) -> str:
        return "action_bin_reset"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return finish()


class ActionBinHandoff(Action):
    """A person was asked for in the middle of a bin journey: pass on what was asked."""

    def name(self) -> str:
        return "action_bin_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        journey = next((e.get("name") for e in reversed(tracker.events)
                        if e.get("event") == "active_loop" and e.get("name")), None)
        wanted = JOURNEY_TOPICS.get(journey or "", "get help with bins")
        details = [f"Resident wanted to {wanted}"]
        if tracker.get_slot("bin_address"):
            details.append(f"at {tracker.get_slot('bin_address')}")
        for slot, label in (("bin_service", "bin"), ("bin_container", "container"),
                            ("bin_container_reason", "reason"), ("bin_waste_item", "item")):
            if tracker.get_slot(slot):
                details.append(f"{label}: {tracker.get_slot(slot)}")
        if tracker.get_slot("bin_bulky_items"):
            details.append(f"items: {tracker.get_slot('bin_bulky_items')}")
        summary = ", ".join(details) + ". They asked for a member of staff."
        return [*hand_off(dispatcher, tracker, topic="waste", summary=summary),
                *finish()]
