"""Shared form validation: finding the resident's address from a postcode, then a property.

`AddressFormMixin` goes before `FormValidationAction` in a form's validation class:

    class ValidateBinDayForm(AddressFormMixin, FormValidationAction): ...

domain.yml must hold:
- slots `postcode` (text, mapping `from_entity: postcode`) and `uprn` (text, mapping
  `custom`), both listed in the form's `required_slots` in that order;
- the response `utter_ask_postcode` (the question for the postcode);
- the action `action_ask_uprn` (this module's `ActionAskUprn`: one button per address at
  the postcode, whose payload is the UPRN) and the form's `validate_<form>` action.

What it does:
- `postcode`: found in whatever the resident typed ("it's an1 1aa thanks"), normalised; a
  malformed one gets a kind re-ask with an example, an unknown one is named as unknown.
  A postcode with a single property fills `uprn` at once.
- `uprn`: a button (the UPRN), or a typed house number or name ("4", "flat 3", "church
  lane") matched against the addresses at the postcode.
- Messages that are really a request to stop, for a person, or for another service are not
  taken as answers, so the form is rejected and the rules for those intents run.
- A back-office failure calls `on_backoffice_failure`, which subclasses override (the
  default sends `utter_backoffice_unavailable` and ends the form).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import address_client, run_blocking
from actions.backoffice.address import Address
from actions.backoffice.errors import BackOfficeError, BackOfficeRejected
from actions.common.parsing import find_postcode

# Said first when the address lookup fails, so the resident knows which part is down.
ADDRESSES_UNAVAILABLE = "Sorry, I can't look up addresses right now."
# Intents that mean "not an answer to your question": the form steps aside for their rules.
ESCAPE_INTENTS = frozenset({
    "stop", "request_human", "help", "bot_challenge", "goodbye", "out_of_scope",
})
ESCAPE_PREFIXES = ("ct_", "bin_", "rough_", "homeless", "faq")
ESCAPE_CONFIDENCE = 0.7
POSTCODE_EXAMPLE = "AN1 1AA"


def wants_something_else(tracker: Tracker, own_intents: frozenset[str] = frozenset()) -> bool:
    """The latest message confidently asks for something else than an answer."""
    intent = tracker.latest_message.get("intent") or {}
    name = intent_of(tracker)
    # `<service>_details` intents are answers to the form's own questions.
    if name in own_intents or name.endswith("_details"):
        return False
    if (intent.get("confidence") or 0) < ESCAPE_CONFIDENCE:
        return False
    return name in ESCAPE_INTENTS or name.startswith(ESCAPE_PREFIXES)


def latest_text(tracker: Tracker) -> str:
    """What the resident typed last, without surrounding spaces."""
    return (tracker.latest_message.get("text") or "").strip()


def intent_of(tracker: Tracker) -> str:
    """The intent NLU gave the resident's latest message ("" when none)."""
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def match_address(text: str, addresses: list[Address]) -> Address | None:
    """A UPRN, or a typed house number or name that picks exactly one address."""
    text = text.strip().lower()
    for address in addresses:
        if text == address.uprn:
            return address
    number = re.fullmatch(r"(?:no\.?|number|flat|house)?\s*(\d+[a-z]?)\b.*", text)
    if number:
        wanted = number.group(1)
        found = [a for a in addresses if re.match(rf"(?:flat )?{wanted}\b", a.line1.lower())]
        if len(found) == 1:
            return found[0]
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in {"the", "at", "its", "it"}]
    if words:
        found = [a for a in addresses if all(w in a.label.lower() for w in words)]
        if len(found) == 1:
            return found[0]
    return None


class AddressFormMixin:
    """`validate_postcode` / `validate_uprn` and their extraction, for any form (see module)."""

    own_intents: frozenset[str] = frozenset()

    async def on_backoffice_failure(self, dispatcher: CollectingDispatcher,
                                    tracker: Tracker) -> dict[str, Any]:
        dispatcher.utter_message(response="utter_backoffice_unavailable")
        return {"requested_slot": None}

    async def on_address_chosen(self, address: Address, tracker: Tracker) -> dict[str, Any]:
        """Extra slots to set once the property is known (override to remember its label)."""
        return {}

    async def extract_postcode(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "postcode":
            return {}
        text = latest_text(tracker)
        if not text or (find_postcode(text) is None and wants_something_else(
                tracker, self.own_intents)):
            return {}
        return {"postcode": text}

    async def validate_postcode(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        postcode = find_postcode(str(slot_value or ""))
        if postcode is None:
            dispatcher.utter_message(
                text="Sorry, that doesn't look like a postcode. It should look like "
                f"{POSTCODE_EXAMPLE}. What's the postcode?")
            return {"postcode": None}
        try:
            addresses = await run_blocking(address_client().find_addresses, postcode)
        except BackOfficeRejected:
            dispatcher.utter_message(text=f"Sorry, {postcode} isn't a postcode I can look up. "
                                     f"It should look like {POSTCODE_EXAMPLE}.")
            return {"postcode": None}
        except BackOfficeError:
            dispatcher.utter_message(text=ADDRESSES_UNAVAILABLE)
            return {"postcode": postcode, **await self.on_backoffice_failure(dispatcher, tracker)}
        if not addresses:
            dispatcher.utter_message(
                text=f"I can't find any addresses at {postcode} in Anytown Borough. Please "
                "check the postcode, or if you live outside Anytown, contact your own council.")
            return {"postcode": None}
        if len(addresses) == 1:
            return {"postcode": postcode, "uprn": addresses[0].uprn,
                    **await self.on_address_chosen(addresses[0], tracker)}
        return {"postcode": postcode}

    async def extract_uprn(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "uprn":
            return {}
        text = latest_text(tracker)
        if not text or (not text.isdigit() and wants_something_else(tracker, self.own_intents)):
            return {}
        return {"uprn": text}

    async def validate_uprn(self, slot_value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        postcode = tracker.get_slot("postcode")
        if not postcode:
            return {"uprn": None}
        try:
            addresses = await run_blocking(address_client().find_addresses, postcode)
        except BackOfficeError:
            dispatcher.utter_message(text=ADDRESSES_UNAVAILABLE)
            return {"uprn": None, **await self.on_backoffice_failure(dispatcher, tracker)}
        address = match_address(str(slot_value or ""), addresses)
        if address is None:
            dispatcher.utter_message(text="Sorry, I couldn't match that to one address at "
                                     f"{postcode}. Please choose from the list.")
            return {"uprn": None}
        return {"uprn": address.uprn, **await self.on_address_chosen(address, tracker)}


class ActionAskUprn(Action):
    """Asks which property, with one button per address at the postcode."""

    def name(self) -> str:
        return "action_ask_uprn"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        postcode = tracker.get_slot("postcode")
        try:
            addresses = await run_blocking(address_client().find_addresses, postcode)
        except BackOfficeError:
            addresses = []
        if not addresses:
            dispatcher.utter_message(text=f"Which property at {postcode}? Please type the "
                                     "house number or name.")
            return []
        dispatcher.utter_message(
            text=f"Which address at {postcode}? You can also type the house number or name.",
            buttons=[{"title": a.line1, "payload": a.uprn} for a in addresses],
        )
        return []
