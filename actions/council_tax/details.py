"""The council tax details form: each journey's questions, asked before any account is touched."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.backoffice import address_client, run_blocking
from actions.backoffice.errors import BackOfficeError
from actions.common.forms import intent_of, latest_text, match_address
from actions.common.parsing import find_postcode
from actions.council_tax import replies
from actions.council_tax.forms import (
    check_date,
    detail_slots,
    extracted,
    postcode_answer,
    today,
)
from actions.council_tax.parsing import (
    PAYMENT_DAYS,
    looks_like_name,
    parse_adults,
    parse_date,
    parse_move_kind,
    parse_payment_day,
)

YES_NO = {"affirm": True, "deny": False}


class ValidateCtDetailsForm(FormValidationAction):
    def name(self) -> str:
        return "validate_ct_details_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return detail_slots(tracker)

    # --- yes/no answers -------------------------------------------------------------------

    def _yes_no(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slot or intent_of(tracker) not in YES_NO:
            return {}
        return {slot: YES_NO[intent_of(tracker)]}

    async def extract_ct_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        return self._yes_no(tracker, "ct_confirmed")

    async def extract_ct_all_students(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        return self._yes_no(tracker, "ct_all_students")

    # --- free text ------------------------------------------------------------------------

    async def extract_ct_band_postcode(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_band_postcode",
                         find_postcode(latest_text(tracker)) is not None)

    async def validate_ct_band_postcode(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"ct_band_postcode": postcode_answer(value, dispatcher)}

    async def extract_ct_payment_day(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_payment_day",
                         parse_payment_day(latest_text(tracker)) is not None)

    async def validate_ct_payment_day(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        day = parse_payment_day(str(value or ""))
        if day not in PAYMENT_DAYS:
            dispatcher.utter_message(text=replies.PAYMENT_DAYS_ONLY)
            return {"ct_payment_day": None}
        return {"ct_payment_day": float(day)}

    async def extract_ct_adults(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_adults", parse_adults(latest_text(tracker)) is not None)

    async def validate_ct_adults(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        adults = parse_adults(str(value or ""))
        if adults is None or adults < 1 or adults > 20:
            dispatcher.utter_message(text=replies.HOW_MANY_ADULTS)
            return {"ct_adults": None}
        return {"ct_adults": float(adults)}

    async def extract_ct_date(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_date", parse_date(latest_text(tracker), today()) is not None)

    async def validate_ct_date(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        parsed = parse_date(str(value or ""), today())
        if not check_date(parsed, dispatcher, "What date should I use?"):
            return {"ct_date": None}
        assert parsed is not None
        return {"ct_date": parsed.isoformat()}

    async def extract_ct_course_end(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_course_end",
                         parse_date(latest_text(tracker), today()) is not None)

    async def validate_ct_course_end(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        parsed = parse_date(text, today())
        if parsed is not None and not any(ch.isdigit() for ch in text[-4:]) \
                and parsed < today():
            parsed = parsed.replace(year=parsed.year + 1)  # "June" means the coming June
        start = tracker.get_slot("ct_date")
        if parsed is None:
            dispatcher.utter_message(text=replies.COURSE_END_UNCLEAR)
            return {"ct_course_end": None}
        if start and parsed <= date.fromisoformat(start):
            dispatcher.utter_message(text=replies.COURSE_ENDS_TOO_SOON)
            return {"ct_course_end": None}
        return {"ct_course_end": parsed.isoformat()}

    async def extract_ct_institution(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_institution", False)

    async def validate_ct_institution(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 2 or len(text) > 120:
            dispatcher.utter_message(text=replies.INSTITUTION)
            return {"ct_institution": None}
        return {"ct_institution": text}

    async def extract_ct_move_kind(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_move_kind", parse_move_kind(latest_text(tracker)) is not None)

    async def validate_ct_move_kind(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        kind = parse_move_kind(str(value or ""))
        if kind is None:
            dispatcher.utter_message(text=replies.WHICH_MOVE)
        return {"ct_move_kind": kind}

    async def extract_ct_new_address(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_new_address", find_postcode(latest_text(tracker)) is not None)

    async def validate_ct_new_address(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "").strip()
        if tracker.get_slot("ct_move_kind") == "out":
            if len(text) < 8 or not any(ch.isdigit() for ch in text):
                dispatcher.utter_message(text=replies.FORWARDING_ADDRESS)
                return {"ct_new_address": None}
            return {"ct_new_address": text}
        postcode = find_postcode(text)
        if postcode is None:
            dispatcher.utter_message(text=replies.ANYTOWN_ADDRESS)
            return {"ct_new_address": None}
        try:
            addresses = await run_blocking(address_client().find_addresses, postcode)
        except BackOfficeError:
            # The form ends (see detail_slots) and the journey's last step says so.
            return {"ct_new_address": text, "ct_backoffice_down": True}
        number_text = text.lower().replace(postcode.lower(), "").strip(" ,")
        address = match_address(number_text, addresses) if addresses else None
        if address is None:
            dispatcher.utter_message(text=replies.address_not_found(postcode, bool(addresses)))
            return {"ct_new_address": None}
        return {"ct_new_address": address.label, "ct_new_uprn": address.uprn}

    async def extract_ct_full_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        return extracted(tracker, "ct_full_name", looks_like_name(latest_text(tracker), 5))

    async def validate_ct_full_name(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "").strip()
        if not looks_like_name(text, 5) or len(text.split()) < 2:
            dispatcher.utter_message(text=replies.FULL_NAME)
            return {"ct_full_name": None}
        return {"ct_full_name": text}
