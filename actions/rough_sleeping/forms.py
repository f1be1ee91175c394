"""The rough sleeping report form: checking each answer, and the questions that vary.

Safety answers trigger the 999 advice at once; a vague place is asked about once more; the
time seen is read from the resident's words and spaCy's DATE/TIME entities. A message that
does not answer the question (another topic, small talk, "what do you mean?") gets a kind word
and the same question again; only the intents with their own rules mid-report (stop, a
person, homeless themselves, help, "are you a bot") make the form step aside.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.forms import intent_of, latest_text, wants_something_else
from actions.common.parsing import find_postcode
from actions.rough_sleeping import replies
from actions.rough_sleeping.parsing import (
    asks_what_we_mean,
    count_people,
    find_what3words,
    is_specific_location,
    location_names,
    mentions_child,
    mentions_danger,
    parse_contact,
    parse_seen_time,
    sounds_unsure,
)

LONDON = ZoneInfo("Europe/London")
CONTACT_QUESTIONS = ("rs_contact", "rs_updates_consent")
SAFETY_QUESTIONS = ("rs_in_danger", "rs_under_18")
YES_NO_QUESTIONS = ("rs_in_danger", "rs_under_18", "rs_contact_consent", "rs_updates_consent",
                    "rs_confirmed")
FREE_TEXT_QUESTIONS = ("rs_location", "rs_seen_time", "rs_person_description", "rs_contact")
QUESTIONS = YES_NO_QUESTIONS + FREE_TEXT_QUESTIONS
# Intents with their own rules mid-report (data/rules/rough_sleeping.yml).
STEP_ASIDE = frozenset({"stop", "request_human", "homeless_self", "help", "bot_challenge"})
# A bare "yes", "hi" or "thanks" answers none of the free-text questions.
SMALL_TALK = frozenset({"affirm", "deny", "greet", "goodbye", "thank_you"})
OWN_INTENTS = frozenset({"rough_sleeper_report"})


def now_uk() -> datetime:
    return datetime.now(LONDON).replace(tzinfo=None, second=0, microsecond=0)


def steps_aside(tracker: Tracker) -> bool:
    """Whether the form makes way for the rules of the latest intent. "What do you mean?",
    which NLU reads as help, is about the question instead: it is asked again."""
    return intent_of(tracker) in STEP_ASIDE and not asks_what_we_mean(latest_text(tracker))


def answers_question(tracker: Tracker, asked: str) -> bool:
    """Whether the latest message can be taken as the answer to the question `asked`."""
    intent, text = intent_of(tracker), latest_text(tracker)
    if asks_what_we_mean(text):
        return False
    if asked in YES_NO_QUESTIONS:
        # "Not sure" reads as "no": not good enough to skip safety or to drop a report.
        unsure_matters = asked in (*SAFETY_QUESTIONS, "rs_confirmed") and sounds_unsure(text)
        return intent in ("affirm", "deny") and not unsure_matters
    if intent in SMALL_TALK and len(text.split()) <= 3:
        return False
    return not wants_something_else(tracker, OWN_INTENTS)


def entities_of(tracker: Tracker, *kinds: str) -> list[dict]:
    return [e for e in tracker.latest_message.get("entities") or [] if e.get("entity") in kinds]


def is_urgent(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("rs_in_danger") or tracker.get_slot("rs_under_18"))


def safety_in(text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Safety can surface in any answer ("she's only about 15", "he's not breathing")."""
    slots: dict[str, Any] = {}
    if mentions_child(text) and not tracker.get_slot("rs_under_18"):
        dispatcher.utter_message(response="utter_rs_under_18_police")
        slots["rs_under_18"] = True
    if mentions_danger(text) and not tracker.get_slot("rs_in_danger"):
        dispatcher.utter_message(response="utter_rs_call_999_now")
        slots["rs_in_danger"] = True
    return slots


class ValidateRsReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_rs_report_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        if tracker.get_slot("rs_contact_consent") is False:
            return [s for s in domain_slots if s not in CONTACT_QUESTIONS]
        return domain_slots

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        asked = tracker.get_slot("requested_slot")
        if asked in QUESTIONS and not (steps_aside(tracker) or answers_question(tracker, asked)):
            # Not rejecting the form keeps the core fallback away; the form asks again.
            return [SlotSet(k, v) for k, v in self.ask_again(asked, dispatcher, tracker).items()]
        return await super().get_validation_events(dispatcher, tracker, domain)

    def ask_again(self, asked: str, dispatcher: CollectingDispatcher,
                  tracker: Tracker) -> dict[str, Any]:
        """Safety first, even in an unclear answer; then why we ask, before the question."""
        text = latest_text(tracker)
        if asked == "rs_contact" and intent_of(tracker) == "deny":
            dispatcher.utter_message(response="utter_rs_stay_anonymous")
            return {"rs_contact": None, "rs_contact_consent": False}
        slots = safety_in(text, dispatcher, tracker)
        if asked in SAFETY_QUESTIONS and asked not in slots and sounds_unsure(text):
            # "Yes, or I'm not sure": a child or someone in danger must not be missed.
            slots.update(getattr(self, f"validate_{asked}")(True, dispatcher, tracker, {}))
        if slots.get(asked) is None:
            dispatcher.utter_message(response="utter_rs_ask_again")  # varies by question
        return {asked: None, **slots}

    def validate_rs_in_danger(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value and tracker.get_slot("requested_slot") == "rs_in_danger":
            dispatcher.utter_message(response="utter_rs_call_999_now")
        return {"rs_in_danger": value}

    def validate_rs_under_18(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value and tracker.get_slot("requested_slot") == "rs_under_18":
            dispatcher.utter_message(response="utter_rs_under_18_police")
        return {"rs_under_18": value}

    def validate_rs_contact_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"rs_contact_consent": value}

    def validate_rs_updates_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"rs_updates_consent": value}

    def validate_rs_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"rs_confirmed": value}

    def validate_rs_location(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {"rs_location": None}
        text = str(value or "").strip()
        entities = entities_of(tracker, "FAC", "GPE", "LOC")
        first_try = tracker.get_slot("rs_location_first_try")
        if not is_specific_location(text, entities) and not first_try:
            # Ask once more (action_ask_rs_location); a second answer is taken as it is.
            return {"rs_location": None, "rs_location_first_try": text}
        location = f"{first_try}; {text}" if first_try else text
        names = location_names(entities, location)
        dispatcher.utter_message(text=replies.place_noted(location, names))
        return {"rs_location": location, "rs_postcode": find_postcode(location),
                "rs_what3words": find_what3words(location),
                **safety_in(text, dispatcher, tracker)}

    def validate_rs_seen_time(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {"rs_seen_time": None}
        spoken = [str(e.get("value")) for e in entities_of(tracker, "DATE", "TIME")]
        seen = parse_seen_time(str(value or ""), now_uk(), spoken)
        if seen is None:
            dispatcher.utter_message(response="utter_rs_seen_time_unclear")
            return {"rs_seen_time": None}
        dispatcher.utter_message(text=replies.seen_at(seen))
        return {"rs_seen_time": str(value), "rs_seen_at": seen.isoformat(timespec="minutes")}

    def validate_rs_person_description(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {"rs_person_description": None}
        text = str(value or "").strip()
        if len(text) < 3 or len(text.split()) < 2:
            dispatcher.utter_message(response="utter_rs_description_too_short")
            return {"rs_person_description": None}
        return {"rs_person_description": text, "rs_people_count": float(count_people(text)),
                **safety_in(text, dispatcher, tracker)}

    def validate_rs_contact(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {"rs_contact": None}
        contact = parse_contact(str(value or ""))
        if not (contact["phone"] or contact["email"]):
            dispatcher.utter_message(response="utter_rs_contact_unclear")
            return {"rs_contact": None}
        # The raw text is not kept: only the parts the report needs.
        return {"rs_contact": "given", "rs_contact_name": contact["name"],
                "rs_contact_phone": contact["phone"], "rs_contact_email": contact["email"]}


class ActionAskRsLocation(Action):
    def name(self) -> str:
        return "action_ask_rs_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        again = tracker.get_slot("rs_location_first_try")
        dispatcher.utter_message(text=replies.ASK_LOCATION_AGAIN if again
                                 else replies.ASK_LOCATION)
        return []


class ActionAskRsConfirmed(Action):
    def name(self) -> str:
        return "action_ask_rs_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(
            text=replies.ask_to_send(tracker),
            buttons=[{"title": "Yes, send it", "payload": "/affirm"},
                     {"title": "No, don't send it", "payload": "/deny"}])
        return []
