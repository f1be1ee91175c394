"""General conversation: the fallback's "did you mean" question in residents' words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

# How each intent is put back to a resident when the assistant is unsure what they meant.
INTENT_DESCRIPTIONS = {
    "request_human": "talk to a member of staff",
    "help": "find out what I can help with",
    "ct_balance": "check your council tax balance or payments",
    "ct_band": "find out a property's council tax band",
    "ct_pay": "pay your council tax",
    "ct_direct_debit": "set up or change a council tax Direct Debit",
    "ct_instalments": "change how many council tax instalments you pay",
    "ct_single_person_discount": "apply for the single person discount",
    "ct_student_exemption": "ask about the student exemption",
    "ct_moving": "tell us you're moving home",
    "ct_cannot_pay": "get help because you can't pay your council tax",
    "bin_day": "find out your bin collection day",
    "bin_missed": "report a missed bin collection",
    "bin_bulky": "book a bulky waste collection",
    "bin_container": "get a new or replacement bin",
    "bin_which": "find out which bin something goes in",
    "rough_sleeper_report": "report someone sleeping rough",
    "homeless_self": "get help because you are homeless or might lose your home",
}
# Below this, a suggestion would be a guess; asking the resident to rephrase is kinder.
MIN_SUGGESTION_CONFIDENCE = 0.2
NOT_SUGGESTED = {"nlu_fallback", "greet", "goodbye", "thank_you", "affirm", "deny", "stop",
                 "out_of_scope", "bot_challenge"}


class ActionDefaultAskAffirmation(Action):
    """Asks "Did you mean ...?" with the likeliest service in plain words."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidate = next(
            (
                r["name"]
                for r in ranking
                if r.get("name") not in NOT_SUGGESTED and r.get("name") in INTENT_DESCRIPTIONS
                and r.get("confidence", 0) >= MIN_SUGGESTION_CONFIDENCE
            ),
            None,
        )
        if candidate is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=f"Sorry, I'm not sure I understood. Do you want to "
            f"{INTENT_DESCRIPTIONS[candidate]}?",
            buttons=[
                {"title": "Yes", "payload": f"/{candidate}"},
                {"title": "No", "payload": "/out_of_scope"},
            ],
        )
        return []
