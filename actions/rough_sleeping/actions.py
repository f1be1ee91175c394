"""Rough sleeping reports and urgent help for residents who are homeless.

domain.yml must hold (rough sleeping block): intents rough_sleeper_report, homeless_self,
rs_details; the rs_* slots; rs_report_form; the utter_rs_* / utter_homeless_* responses.
The form's validation lives in actions/rough_sleeping/forms.py, what is said in replies.py.
Descriptions and contact details are never logged. Once the report is made, stopped or not
sent, the slots holding them are cleared (only rs_reference stays) and every record of what the
resident typed for it is redacted: the gateway's transcript and Rasa's tracker store.
"""

from __future__ import annotations

from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import rough_sleeping_client, run_blocking
from actions.backoffice.errors import BackOfficeError, BackOfficeRejected
from actions.backoffice.rough_sleeping import (
    CreatedReport,
    NewReport,
    Reporter,
)
from actions.common.forms import latest_text
from actions.common.handoff import hand_off
from actions.common.redaction import messages_since_action, redaction_payload, slots_before_action
from actions.common.write_keys import write_key
from actions.rough_sleeping import REPORT_SLOTS, replies
from actions.rough_sleeping.forms import entities_of, is_urgent
from actions.rough_sleeping.parsing import (
    is_specific_location,
    mentions_child,
    mentions_danger,
    mentions_someone_else,
    spot_in,
)
from actions.rough_sleeping.replies import report_details

START = "action_rs_start"
# Slots a report may leave behind: the rest, if its messages set them, are put back.
JOURNEY_SLOTS = frozenset({*REPORT_SLOTS, "rs_reference", "requested_slot",
                           "session_started_metadata"})


def clear_report(tracker: Tracker | None = None) -> list[EventType]:
    """Forget the report; given a tracker, only the slots that hold something.

    (Setting an empty slot again would make the form validate it as a fresh answer.)
    """
    return [SlotSet(slot, None) for slot in REPORT_SLOTS
            if tracker is None or tracker.get_slot(slot) is not None]


def forget_report(dispatcher: CollectingDispatcher, tracker: Tracker,
                  reason: str) -> list[EventType]:
    """Descriptions are personal data: once the report is made or dropped, they live only in
    the back office. Redact the resident's messages since the report began, empty its slots
    and put back any other slot its messages changed."""
    dispatcher.utter_message(json_message=redaction_payload(
        messages_since_action(tracker, START), reason))
    restored = slots_before_action(tracker, START, JOURNEY_SLOTS)
    return [*clear_report(), *(SlotSet(name, value) for name, value in restored.items())]


class ActionRsStart(Action):
    """Safety advice first, in the very first reply; then start the report form."""

    def name(self) -> str:
        return "action_rs_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker)
        events = clear_report(tracker)
        if tracker.get_slot("rs_reference"):
            events.append(SlotSet("rs_reference", None))
        dispatcher.utter_message(response="utter_rs_safety_first")
        if mentions_danger(text):
            dispatcher.utter_message(response="utter_rs_call_999_now")
            events.append(SlotSet("rs_in_danger", True))
        if mentions_child(text):
            dispatcher.utter_message(response="utter_rs_under_18_police")
            events.append(SlotSet("rs_under_18", True))
        if is_specific_location(text, entities_of(tracker, "FAC", "GPE", "LOC")):
            events.append(SlotSet("rs_location", spot_in(text)))  # confirmed back by the form
        return events


def new_report(tracker: Tracker) -> NewReport:
    slot = tracker.get_slot
    consent = bool(slot("rs_contact_consent"))
    reporter = Reporter(name=slot("rs_contact_name"), phone=slot("rs_contact_phone"),
                        email=slot("rs_contact_email")) if consent else None
    return NewReport(
        location_text=slot("rs_location"), seen_at=datetime.fromisoformat(slot("rs_seen_at")),
        person_description=slot("rs_person_description"), postcode=slot("rs_postcode"),
        what3words=slot("rs_what3words"), people_count=int(slot("rs_people_count") or 1),
        under_18=bool(slot("rs_under_18")), immediate_danger=bool(slot("rs_in_danger")),
        reporter=reporter, consent_to_contact=consent,
        consent_to_updates=consent and bool(slot("rs_updates_consent")),
    )


def hand_report_to_staff(dispatcher: CollectingDispatcher, tracker: Tracker,
                         why: str) -> list[EventType]:
    """Nothing is lost: staff get every detail the resident gave, in the handoff summary."""
    summary = f"Rough sleeping report: {why} Details:\n{report_details(tracker)}"
    return hand_off(dispatcher, tracker, topic="rough_sleeping", summary=summary,
                    priority="urgent" if is_urgent(tracker) else "high",
                    safeguarding=bool(tracker.get_slot("rs_under_18")))


def tell_outcome(dispatcher: CollectingDispatcher, created: CreatedReport) -> None:
    for text in replies.outcome(created):
        dispatcher.utter_message(text=text)
    dispatcher.utter_message(response="utter_ask_anything_else")


class ActionRsSubmitReport(Action):
    """Send the confirmed report; on any failure hand every detail to staff instead."""

    def name(self) -> str:
        return "action_rs_submit_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if not tracker.get_slot("rs_confirmed"):
            dispatcher.utter_message(response="utter_rs_not_sent")
            return forget_report(dispatcher, tracker, "Report details removed: it was not sent.")
        # Kept in a slot so a retry after a lost answer is replayed, not made twice.
        key = tracker.get_slot("rs_idempotency_key") or write_key(tracker, "rs-report")
        try:
            created = await run_blocking(rough_sleeping_client().create_report,
                                         new_report(tracker), key)
        except BackOfficeRejected as exc:
            dispatcher.utter_message(text=replies.NOT_ACCEPTED)
            return [SlotSet("rs_idempotency_key", key),
                    *hand_report_to_staff(dispatcher, tracker, f"system refused ({exc.code}).")]
        except BackOfficeError:
            dispatcher.utter_message(text=replies.UNREACHABLE)
            return [SlotSet("rs_idempotency_key", key),
                    *hand_report_to_staff(dispatcher, tracker, "the system was unavailable.")]
        tell_outcome(dispatcher, created)
        return [*forget_report(dispatcher, tracker, "Report details removed: they were sent "
                               f"to the council as {created.reference}."),
                SlotSet("rs_reference", created.reference)]


class ActionRsClearReport(Action):
    """The resident stopped: forget the details they typed."""

    def name(self) -> str:
        return "action_rs_clear_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_rs_stopped")
        return forget_report(dispatcher, tracker, "Report details removed: it was stopped.")


class ActionRsHandOff(Action):
    """The resident asked for a person mid-report: staff get the details so far."""

    def name(self) -> str:
        return "action_rs_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return hand_report_to_staff(dispatcher, tracker,
                                    "the resident asked for a member of staff part way through.")


class ActionHomelessHelp(Action):
    """Homeless or at risk: kind words, tonight's options, the 56-day duty, urgent staff."""

    def name(self) -> str:
        return "action_homeless_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        for response in ("utter_homeless_kind", "utter_homeless_999", "utter_homeless_tonight"):
            dispatcher.utter_message(response=response)
        try:
            swep = await run_blocking(rough_sleeping_client(quick=True).get_swep)
        except BackOfficeError:
            swep = None  # the advice above stands on its own; SWEP is a bonus
        if swep is not None and swep.active:
            dispatcher.utter_message(response="utter_homeless_swep")
        dispatcher.utter_message(response="utter_homeless_56_days")
        summary = ("Resident is homeless or at risk of losing their home and needs urgent help. "
                   "Check their safety and tonight's accommodation first.")
        if mentions_someone_else(latest_text(tracker)):
            dispatcher.utter_message(text=replies.SOMEONE_ELSE_TOO)
            summary += " They also mentioned another person sleeping rough."
        if tracker.get_slot("rs_location") or tracker.get_slot("rs_person_description"):
            summary += f" They had started a rough sleeping report:\n{report_details(tracker)}"
        return hand_off(dispatcher, tracker, topic="homelessness", summary=summary,
                        priority="urgent", safeguarding=True)
