"""Council tax forms: verification (reused by every account journey) and the journey routing.

The details form's validation is in actions/council_tax/details.py. domain.yml must hold the
forms `ct_verification_form` and `ct_details_form` (every slot of `DETAIL_SLOTS`, named in
actions/council_tax/__init__.py, listed; `required_slots` picks the journey's), their slots
with `custom` mappings, an `utter_ask_<slot>` per slot, and `validate_ct_verification_form` /
`validate_ct_details_form`.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.backoffice import council_tax_client, run_blocking
from actions.backoffice.council_tax import (
    TOO_MANY_ATTEMPTS,
    VERIFICATION_FAILED,
)
from actions.backoffice.errors import BackOfficeError, BackOfficeRejected
from actions.common.forms import latest_text, wants_something_else
from actions.common.parsing import find_postcode, normalise_account_number
from actions.council_tax import VERIFICATION_SLOTS, replies
from actions.council_tax.parsing import looks_like_name

# Only journey names and outcomes are logged: never what the resident typed.
logger = logging.getLogger(__name__)

MAX_FAILURES = 3
VERIFIED_IDLE_SECONDS = 15 * 60
MAX_BACKDATE = timedelta(days=365)
MAX_AHEAD = timedelta(days=90)
ACCOUNT_JOURNEYS = frozenset({"ct_balance", "ct_instalments", "ct_direct_debit",
                              "ct_single_person_discount", "ct_student_exemption", "ct_moving"})
OWN_INTENTS = frozenset({"affirm", "deny"})


def today() -> date:
    return date.today()


def detail_slots(tracker: Tracker) -> list[str]:
    """The questions a journey asks before (or instead of) touching an account."""
    journey = tracker.get_slot("ct_journey")
    if tracker.get_slot("ct_backoffice_down"):
        return []
    if journey == "ct_band":
        return ["ct_band_postcode"]
    if journey == "ct_instalments":
        return ["ct_confirmed"]
    if journey == "ct_direct_debit":
        return ["ct_payment_day"]
    if journey == "ct_single_person_discount":
        return ["ct_adults"] + (["ct_date"] if tracker.get_slot("ct_adults") in (None, 1, 1.0)
                                else [])
    if journey == "ct_student_exemption":
        if tracker.get_slot("ct_all_students") is False:
            return ["ct_all_students"]
        return ["ct_all_students", "ct_date", "ct_course_end", "ct_institution"]
    if journey == "ct_moving":
        slots = ["ct_move_kind", "ct_date", "ct_new_address"]
        return slots + (["ct_full_name"] if tracker.get_slot("ct_move_kind") == "in" else [])
    return []


def needs_verification(tracker: Tracker) -> bool:
    """Whether the journey, as answered so far, has to touch the resident's account."""
    journey = tracker.get_slot("ct_journey")
    if journey not in ACCOUNT_JOURNEYS:
        return False
    if journey == "ct_moving":
        return tracker.get_slot("ct_move_kind") != "in"
    if journey == "ct_instalments":
        return tracker.get_slot("ct_confirmed") is not False
    if journey == "ct_single_person_discount":
        return tracker.get_slot("ct_adults") in (None, 1, 1.0)
    if journey == "ct_student_exemption":
        return tracker.get_slot("ct_all_students") is not False
    return True


def verification_fresh(tracker: Tracker) -> bool:
    verified_at = tracker.get_slot("ct_verified_at")
    return bool(tracker.get_slot("ct_verified") and tracker.get_slot("ct_token")
                and verified_at and time.time() - float(verified_at) < VERIFIED_IDLE_SECONDS)


def next_step(tracker: Tracker) -> str:
    """details -> verify -> complete; each step only when something is missing."""
    if tracker.get_slot("ct_backoffice_down"):
        return "complete"
    missing = [s for s in detail_slots(tracker) if tracker.get_slot(s) is None]
    if missing:
        return "details"
    if needs_verification(tracker) and not tracker.get_slot("ct_locked") \
            and not verification_fresh(tracker):
        return "verify"
    return "complete"


def extracted(tracker: Tracker, slot: str, looks_right: bool) -> dict[str, Any]:
    """What a form's `extract_<slot>` returns: the latest text as the answer to `slot`, unless
    it is plainly about something else; then nothing, so the slot keeps its value."""
    if tracker.get_slot("requested_slot") != slot:
        return {}
    text = latest_text(tracker)
    if not text or (not looks_right and wants_something_else(tracker, OWN_INTENTS)):
        return {}
    return {slot: text}


def postcode_answer(value: Any, dispatcher: CollectingDispatcher, question: str = ""
                    ) -> str | None:
    """The postcode in an answer; None, once the resident is told what one looks like."""
    postcode = find_postcode(str(value or ""))
    if postcode is None:
        dispatcher.utter_message(text=replies.not_a_postcode(question))
    return postcode


def check_date(value: date | None, dispatcher: CollectingDispatcher, question: str) -> bool:
    if value is None:
        dispatcher.utter_message(text=replies.date_unclear())
        return False
    if value < today() - MAX_BACKDATE:
        dispatcher.utter_message(text=replies.date_too_long_ago(question))
        return False
    if value > today() + MAX_AHEAD:
        dispatcher.utter_message(text=replies.date_too_far_ahead(question))
        return False
    return True


class ValidateCtVerificationForm(FormValidationAction):
    """Account number, surname and postcode, checked together by the back office."""

    def name(self) -> str:
        return "validate_ct_verification_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        if tracker.get_slot("ct_locked") or tracker.get_slot("ct_backoffice_down") \
                or tracker.get_slot("ct_too_many_attempts") or tracker.get_slot("ct_verified") \
                or not needs_verification(tracker):
            return []
        return VERIFICATION_SLOTS

    async def extract_ct_account_number(self, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_account_number",
                         any(c.isdigit() for c in latest_text(tracker)))

    async def validate_ct_account_number(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared as the journey started, not an answer to check
            return {}
        number = normalise_account_number(str(value or "").replace("account", "").strip()) \
            or _account_in(str(value or ""))
        if number is None:
            dispatcher.utter_message(text=replies.NOT_AN_ACCOUNT_NUMBER)
            return {"ct_account_number": None}
        return {"ct_account_number": number}

    async def extract_ct_surname(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_surname", looks_like_name(latest_text(tracker)))

    async def validate_ct_surname(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {}
        if not looks_like_name(str(value), max_words=4):
            dispatcher.utter_message(text=replies.SURNAME_ONLY)
            return {"ct_surname": None}
        return {"ct_surname": str(value).strip()}

    async def extract_ct_postcode(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_postcode", find_postcode(latest_text(tracker)) is not None)

    async def validate_ct_postcode(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {}
        postcode = postcode_answer(value, dispatcher,
                                   "What's the postcode of the property the bill is for?")
        if postcode is None:
            return {"ct_postcode": None}
        return await self._verify(dispatcher, tracker, postcode)

    async def _verify(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      postcode: str) -> dict[str, Any]:
        cleared = {"ct_account_number": None, "ct_surname": None, "ct_postcode": None}
        try:
            verification = await run_blocking(
                council_tax_client().verify, tracker.get_slot("ct_account_number"),
                tracker.get_slot("ct_surname"), postcode)
        except BackOfficeRejected as error:
            if error.code == TOO_MANY_ATTEMPTS:
                # Not this conversation's failure: the details were not even compared.
                logger.info("council tax verification refused: too many attempts")
                return {**cleared, "ct_too_many_attempts": True}
            if error.code != VERIFICATION_FAILED and error.status_code != 422:
                raise
            return self._failed(dispatcher, tracker, cleared)
        except BackOfficeError as error:
            logger.warning("council tax verification unavailable: %s", type(error).__name__)
            return {**cleared, "ct_backoffice_down": True}
        logger.info("council tax verification passed")
        dispatcher.utter_message(text=replies.VERIFIED)
        # The surname and postcode have done their job; only the account number stays.
        return {**cleared, "ct_account_number": verification.account_number,
                "ct_verified": True, "ct_token": verification.token,
                "ct_verified_at": time.time(), "ct_failures": 0}

    def _failed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                cleared: dict[str, Any]) -> dict[str, Any]:
        failures = int(tracker.get_slot("ct_failures") or 0) + 1
        logger.info("council tax verification failed (attempt %d)", failures)
        if failures >= MAX_FAILURES:
            return {**cleared, "ct_failures": failures, "ct_locked": True}
        dispatcher.utter_message(text=replies.details_do_not_match(MAX_FAILURES - failures))
        return {**cleared, "ct_failures": failures}


def _account_in(text: str) -> str | None:
    match = re.search(r"5[\d\s-]{8,12}", text)
    return normalise_account_number(match.group(0).strip()) if match else None
