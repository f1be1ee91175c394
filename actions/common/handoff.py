"""Hands a conversation to council staff: the custom payload the gateway makes an escalation of."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common.payloads import Handoff, Priority

# Slots that, when filled, are passed to staff as references (never account details).
REFERENCE_SLOTS = {
    "uprn": "uprn",
    "ct_account_number": "account_number",
    "rs_reference": "report_reference",
    "bin_report_reference": "report_reference",
}


def handoff_payload(
    *,
    topic: str,
    summary: str,
    priority: Priority = "normal",
    safeguarding: bool = False,
    references: dict[str, str] | None = None,
    verified: bool = False,
) -> dict[str, Any]:
    """The contract with the gateway: one `handoff` object in a custom message."""
    return Handoff(topic=topic, summary=summary, priority=priority, safeguarding=safeguarding,
                   references=dict(references or {}), verified=verified).message()


def hand_off(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    topic: str,
    summary: str,
    priority: Priority = "normal",
    safeguarding: bool = False,
    references: dict[str, str] | None = None,
) -> list[EventType]:
    """Tell the resident, send the payload, and pause the bot until staff hand back."""
    collected = {
        name: str(tracker.get_slot(slot))
        for slot, name in REFERENCE_SLOTS.items()
        if tracker.get_slot(slot)
    }
    collected.update(references or {})
    dispatcher.utter_message(response="utter_handoff_started")
    dispatcher.utter_message(
        json_message=handoff_payload(
            topic=topic,
            summary=summary,
            priority=priority,
            safeguarding=safeguarding,
            references=collected,
            verified=bool(tracker.get_slot("ct_verified")),
        )
    )
    return [ConversationPaused()]


TOPIC_BY_INTENT_PREFIX = {"ct_": "council_tax", "bin_": "waste", "rough_": "rough_sleeping",
                          "homeless": "homelessness"}


def topic_of(tracker: Tracker) -> str:
    """The service the resident was last talking about, from their latest service intent."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name") or ""
        for prefix, topic in TOPIC_BY_INTENT_PREFIX.items():
            if intent.startswith(prefix):
                return topic
    return "general"


class ActionHandoffToStaff(Action):
    """The resident asked for a person (`request_human`) or accepted an offer of staff."""

    def name(self) -> str:
        return "action_handoff_to_staff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = topic_of(tracker)
        asked = [
            e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")
        ]
        about = "" if topic == "general" else f" about {topic.replace('_', ' ')}"
        summary = f"Resident asked for a member of staff{about}."
        if len(asked) > 1:
            summary += f" {len(asked) - 1} earlier message(s) in the transcript."
        return hand_off(dispatcher, tracker, topic=topic, summary=summary)
