"""Council tax journeys: start, route through details and verification, and complete.

Every journey runs: intent -> `action_ct_start_journey` -> `ct_details_form` (the journey's
questions) -> `ct_verification_form` (only if it touches an account) ->
`action_ct_complete_journey`. The slot `ct_next` (details / verify / complete) tells the
rules which step comes next. Account data is fetched when a reply needs it and never kept
in a slot; the journey's answers are cleared when it ends.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import council_tax_client, run_blocking
from actions.backoffice.council_tax import VERIFICATION_LAPSED
from actions.backoffice.errors import (
    BackOfficeError,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)
from actions.common.forms import intent_of
from actions.common.handoff import hand_off
from actions.common.parsing import find_postcode, normalise_account_number
from actions.common.payloads import STRUCTURAL_SLOTS, Redact
from actions.common.redaction import (
    journey_start,
    messages_since_action,
    slots_before_action,
    still_needed,
)
from actions.common.write_keys import write_key
from actions.council_tax import DETAIL_SLOTS, PERSONAL_SLOTS, VERIFIED_SLOTS, replies
from actions.council_tax.forms import (
    needs_verification,
    next_step,
    verification_fresh,
)

logger = logging.getLogger(__name__)

# Journeys that change the account: a timeout leaves their outcome unknown.
WRITING_JOURNEYS = frozenset({"ct_instalments", "ct_direct_debit", "ct_single_person_discount",
                              "ct_student_exemption", "ct_moving"})
JOURNEYS = frozenset({"ct_balance", "ct_band", "ct_pay", "ct_direct_debit", "ct_instalments",
                      "ct_single_person_discount", "ct_student_exemption", "ct_moving",
                      "ct_cannot_pay"})
START = "action_ct_start_journey"
STAFF_BUTTONS = [{"title": "Talk to a person", "payload": "/request_human"},
                 {"title": "No thanks", "payload": "/deny"}]


def _set(values: dict[str, Any]) -> list[EventType]:
    return [SlotSet(name, value) for name, value in values.items()]


def journey_cleared() -> dict[str, Any]:
    """The journey's answers and bookkeeping; verification state is kept while fresh."""
    return {**dict.fromkeys(DETAIL_SLOTS), "ct_surname": None, "ct_postcode": None,
            "ct_new_uprn": None, "ct_journey": None, "ct_next": None,
            "ct_backoffice_down": None, "ct_too_many_attempts": None}


def verification_cleared() -> dict[str, Any]:
    return {**dict.fromkeys(VERIFIED_SLOTS), "ct_verified": False}


class _Slots:
    """A tracker seen with some slot changes applied, so routing sees this turn's answers."""

    def __init__(self, tracker: Tracker, changes: dict[str, Any]) -> None:
        self._tracker, self._changes = tracker, changes

    def get_slot(self, name: str) -> Any:
        return self._changes[name] if name in self._changes else self._tracker.get_slot(name)


class ActionCtStartJourney(Action):
    def name(self) -> str:
        return START

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        intent = intent_of(tracker)
        changes = journey_cleared()
        changes["ct_journey"] = intent if intent in JOURNEYS else tracker.get_slot("ct_journey")
        if not verification_fresh(tracker):
            changes["ct_account_number"] = None  # typed for an attempt that did not verify
        if tracker.get_slot("ct_verified") and not verification_fresh(tracker):
            changes.update(verification_cleared())
            if needs_verification(_Slots(tracker, changes)):
                dispatcher.utter_message(text=replies.CHECK_AGAIN)
        typed_account = next((e.get("value") for e in tracker.latest_message.get("entities") or []
                              if e.get("entity") == "account_number"), None)
        if typed_account and normalise_account_number(str(typed_account)) \
                and not verification_fresh(_Slots(tracker, changes)):  # type: ignore[arg-type]
            changes["ct_account_number"] = normalise_account_number(str(typed_account))
        if changes["ct_journey"] == "ct_band":
            changes["ct_band_postcode"] = find_postcode(tracker.latest_message.get("text"))
        changes["ct_next"] = next_step(_Slots(tracker, changes))  # type: ignore[arg-type]
        logger.info("council tax journey %s starts at %s", changes["ct_journey"],
                    changes["ct_next"])
        return _set(changes)


class ActionCtRoute(Action):
    """After the details form: verify next, or complete."""

    def name(self) -> str:
        return "action_ct_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return [SlotSet("ct_next", next_step(tracker))]


def forget_journey(dispatcher: CollectingDispatcher, tracker: Tracker,
                   events: list[EventType]) -> list[EventType]:
    """Once a journey ends, Rasa's records lose what identifies the resident and their
    account: every message of the journey, this turn's replies, and the account number,
    surname, postcodes, addresses and token wherever they were kept. What verification still
    allows for a while is set again after the payload. The gateway's transcript is kept for
    staff (it has its own retention)."""
    if journey_start(tracker.events, START) is None:
        return events
    dispatcher.utter_message(json_message=Redact(
        messages_since_action(tracker, START), "Council tax details removed.",
        slots=tuple(PERSONAL_SLOTS), through_replies=True, transcript=False).message())
    changed = {event["name"] for event in events if event.get("event") == "slot"}
    own = {name for name in tracker.slots if name.startswith("ct_")} | STRUCTURAL_SLOTS
    # A postcode typed to verify also fills the shared `postcode` slot: put it back as it was.
    restored = {name: value for name, value in slots_before_action(tracker, START, own).items()
                if name not in changed}
    kept = {name: value for name, value in
            still_needed(tracker, START, PERSONAL_SLOTS, changed | restored.keys()).items()
            if name in own}
    return events + _set({**restored, **kept})


class ActionCtEndJourney(Action):
    """The resident stopped or switched topic: forget the journey's answers."""

    def name(self) -> str:
        return "action_ct_end_journey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        changes = {**journey_cleared(), "requested_slot": None}
        if not verification_fresh(tracker):
            changes["ct_account_number"] = None
        return forget_journey(dispatcher, tracker, _set(changes))


class ActionCtCompleteJourney(Action):
    def name(self) -> str:
        return "action_ct_complete_journey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return forget_journey(dispatcher, tracker, await self._complete(dispatcher, tracker))

    async def _complete(self, dispatcher: CollectingDispatcher,
                        tracker: Tracker) -> list[EventType]:
        journey = tracker.get_slot("ct_journey")
        cleared = _set(journey_cleared())
        # "failed" tells the rules the resident was just offered a member of staff.
        failed = cleared + [SlotSet("ct_next", "failed")]
        if tracker.get_slot("ct_backoffice_down"):
            dispatcher.utter_message(response="utter_backoffice_unavailable")
            return failed
        for refusal in ("ct_too_many_attempts", "ct_locked"):
            if needs_verification(tracker) and tracker.get_slot(refusal):
                dispatcher.utter_message(text=replies.VERIFICATION_REFUSED[refusal],
                                         buttons=STAFF_BUTTONS)
                return failed
        if needs_verification(tracker) and not verification_fresh(tracker):
            return cleared  # the form was left without verifying; nothing to show
        if journey not in _JOURNEY_STEPS:
            return cleared
        try:
            extra = await _JOURNEY_STEPS[journey](dispatcher, tracker)
        except BackOfficeRejected as error:
            if error.code not in VERIFICATION_LAPSED:
                raise
            dispatcher.utter_message(text=replies.CHECK_TIMED_OUT)
            return cleared + _set(verification_cleared())
        except BackOfficeError as error:
            logger.warning("council tax %s failed: %s", journey, type(error).__name__)
            if isinstance(error, BackOfficeTimeout) and journey in WRITING_JOURNEYS:
                # The change may have been made: say so, never "it failed".
                dispatcher.utter_message(text=replies.CHANGE_UNCONFIRMED, buttons=STAFF_BUTTONS)
            else:
                dispatcher.utter_message(response="utter_backoffice_unavailable")
            return failed
        logger.info("council tax journey %s completed", journey)
        if verification_fresh(tracker):
            # Using the verified account is activity: the 15-minute idle clock restarts.
            cleared.append(SlotSet("ct_verified_at", time.time()))
        if extra is not None:
            return cleared + extra
        dispatcher.utter_message(response="utter_ask_anything_else")
        return cleared


def _account(tracker: Tracker) -> tuple[str, str]:
    return tracker.get_slot("ct_account_number"), tracker.get_slot("ct_token")


def _date(tracker: Tracker, slot: str) -> date:
    return date.fromisoformat(tracker.get_slot(slot))


async def _balance(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    summary = await run_blocking(council_tax_client().get_account, *_account(tracker))
    dispatcher.utter_message(text=replies.balance(summary))


async def _band(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    try:
        lookup = await run_blocking(council_tax_client().find_bands,
                                    tracker.get_slot("ct_band_postcode"))
    except BackOfficeRejected:
        dispatcher.utter_message(text=replies.CANNOT_LOOK_UP_POSTCODE)
        return
    dispatcher.utter_message(text=replies.bands(lookup))


async def _pay(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    summary = None
    if verification_fresh(tracker):
        summary = await run_blocking(council_tax_client().get_account, *_account(tracker))
    dispatcher.utter_message(text=replies.ways_to_pay(summary))


async def _instalments(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("ct_confirmed") is False:
        dispatcher.utter_message(text=replies.INSTALMENTS_KEPT)
        return
    try:
        plan = await run_blocking(
            council_tax_client().change_instalments, *_account(tracker), 12,
            idempotency_key=write_key(tracker, "ct-instalments", _account(tracker)[0], 12))
    except BackOfficeRejected as error:
        if error.code not in replies.INSTALMENTS_UNCHANGED:
            raise
        dispatcher.utter_message(text=replies.INSTALMENTS_UNCHANGED[error.code])
        return
    dispatcher.utter_message(text=replies.instalments_switched(plan))


async def _direct_debit(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    day = int(tracker.get_slot("ct_payment_day"))
    try:
        dd = await run_blocking(
            council_tax_client().change_payment_day, *_account(tracker), day,
            idempotency_key=write_key(tracker, "ct-payment-day", _account(tracker)[0], day))
    except BackOfficeRejected as error:
        if error.code == "no_direct_debit":
            dispatcher.utter_message(text=replies.no_direct_debit(day))
        elif error.code == "no_change":
            dispatcher.utter_message(text=replies.PAYMENT_DAY_UNCHANGED)
        else:
            raise
        return
    dispatcher.utter_message(text=replies.payment_day_changed(dd))


async def _single_person(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if int(tracker.get_slot("ct_adults")) != 1:
        dispatcher.utter_message(text=replies.NOT_SINGLE_ADULT)
        return
    try:
        app = await run_blocking(
            council_tax_client().apply_single_person_discount, *_account(tracker),
            applies_from=_date(tracker, "ct_date"), adults_in_property=1,
            idempotency_key=write_key(tracker, "ct-single-person", _account(tracker)[0],
                                      tracker.get_slot("ct_date")))
    except BackOfficeRejected as error:
        if error.code != "already_receiving":
            raise
        dispatcher.utter_message(text=replies.ALREADY_SINGLE_PERSON)
        return
    dispatcher.utter_message(text=replies.application(app, "single person discount"))


async def _student(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("ct_all_students") is False:
        dispatcher.utter_message(text=replies.NOT_ALL_STUDENTS)
        return
    try:
        app = await run_blocking(
            council_tax_client().apply_student_exemption, *_account(tracker),
            applies_from=_date(tracker, "ct_date"), course_end=_date(tracker, "ct_course_end"),
            institution=tracker.get_slot("ct_institution"), all_residents_students=True,
            idempotency_key=write_key(tracker, "ct-student", _account(tracker)[0],
                                      tracker.get_slot("ct_date")))
    except BackOfficeRejected as error:
        if error.code != "already_exempt":
            raise
        dispatcher.utter_message(text=replies.ALREADY_EXEMPT)
        return
    dispatcher.utter_message(text=replies.application(app, "student exemption"))


async def _moving(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    kind, when = tracker.get_slot("ct_move_kind"), _date(tracker, "ct_date")
    key = write_key(tracker, "ct-move", kind, when, tracker.get_slot("ct_account_number"),
                    tracker.get_slot("ct_new_uprn"))
    if kind == "in":
        notice = await run_blocking(
            lambda: council_tax_client().notify_move_in(
                uprn=tracker.get_slot("ct_new_uprn"), full_name=tracker.get_slot("ct_full_name"),
                move_date=when, idempotency_key=key))
    else:
        notice = await run_blocking(
            lambda: council_tax_client().notify_move(
                *_account(tracker), kind=kind, move_date=when,
                forwarding_address=tracker.get_slot("ct_new_address") if kind == "out" else None,
                new_uprn=tracker.get_slot("ct_new_uprn") if kind == "within" else None,
                idempotency_key=key))
    dispatcher.utter_message(text=replies.moved(notice))


async def _cannot_pay(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    summary = None
    if verification_fresh(tracker):
        try:
            summary = await run_blocking(council_tax_client().get_account, *_account(tracker))
        except BackOfficeUnavailable:
            summary = None  # support and a person matter more than the account detail here
    dispatcher.utter_message(text=replies.cannot_pay(summary))
    stage = f" Recovery stage: {summary.recovery_stage}." if summary else ""
    return hand_off(dispatcher, tracker, topic="council_tax", priority="high",
                    summary="Resident says they can't pay their council tax and needs a payment "
                    f"plan or support.{stage}")


_JOURNEY_STEPS = {
    "ct_balance": _balance, "ct_band": _band, "ct_pay": _pay, "ct_instalments": _instalments,
    "ct_direct_debit": _direct_debit, "ct_single_person_discount": _single_person,
    "ct_student_exemption": _student, "ct_moving": _moving, "ct_cannot_pay": _cannot_pay,
}
