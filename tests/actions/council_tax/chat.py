"""A council tax conversation driven through the real actions and the stub back office."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.council_tax.actions import (
    ActionCtCompleteJourney,
    ActionCtEndJourney,
    ActionCtRoute,
    ActionCtStartJourney,
)
from actions.council_tax.details import ValidateCtDetailsForm
from actions.council_tax.forms import ValidateCtVerificationForm
from tests.actions.helpers import user_event

with open(Path(__file__).parents[3] / "domain.yml", encoding="utf-8") as handle:
    DOMAIN: dict[str, Any] = yaml.safe_load(handle)

ALEX = ("500000001", "Example", "AN1 1AA")
SAM = ("5000 0000 2", "sample", "an2 3cc")
JO = ("500000003", "Student", "AN1 2BB")
WRONG = ("500000001", "Sample", "AN1 1AA")
# What must never reach a message or a log line before verification.
SECRETS = ["Alex", "Example", "Sam Sample", "Jo Student", "ending 1234", "Church Lane",
           "Acacia Avenue", "Beech Court", "808.00", "404.00", "2021.05", "1,959.81"]


def said(chat: Chat, *fragments: str) -> bool:
    return all(f in chat.text for f in fragments)


FORMS = {"ct_details_form": ValidateCtDetailsForm, "ct_verification_form":
         ValidateCtVerificationForm}


class Chat:
    """Holds the slots between turns, as Rasa would, and records every bot message."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}
        self.messages: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.form: str | None = None

    def _tracker(self, text: str = "", intent: str = "inform",
                 entities: list[dict] | None = None) -> Tracker:
        turn = user_event(text, intent, entities)
        turn["parse_data"]["intent"]["confidence"] = 0.95
        self.events.append(turn)
        return Tracker(sender_id="ct-test", slots=dict(self.slots),
                       latest_message={"text": text, **turn["parse_data"]},
                       events=list(self.events), paused=False, followup_action=None,
                       active_loop={"name": self.form} if self.form else {},
                       latest_action_name="action_listen")

    def _apply(self, events: list[dict[str, Any]], dispatcher: CollectingDispatcher) -> list:
        self.messages += dispatcher.messages
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.events += [e for e in events if e.get("event") != "slot"]
        return events

    @property
    def text(self) -> str:
        """Everything the bot has said, buttons and custom payloads included."""
        return json.dumps(self.messages)

    async def start(self, intent: str, text: str = "", entities: list[dict] | None = None):
        dispatcher = CollectingDispatcher()
        events = await ActionCtStartJourney().run(dispatcher, self._tracker(text, intent,
                                                                            entities), DOMAIN)
        self._apply(events, dispatcher)
        await self._advance()
        return events

    async def _advance(self) -> None:
        """Do what the rules do with ct_next: open the next form, or complete the journey."""
        step = self.slots.get("ct_next")
        if step == "details":
            await self._open("ct_details_form")
        elif step == "verify":
            await self._open("ct_verification_form")
        elif step == "complete":
            await self.complete()

    async def _open(self, form: str) -> None:
        self.form = form
        action = FORMS[form]()
        required = await action.required_slots(
            action.domain_slots(DOMAIN), CollectingDispatcher(), self._tracker(), DOMAIN)
        missing = [s for s in required if self.slots.get(s) is None]
        self.slots["requested_slot"] = missing[0] if missing else None

    async def say(self, text: str, intent: str = "inform",
                  entities: list[dict] | None = None) -> None:
        assert self.form, "no form is asking anything"
        dispatcher = CollectingDispatcher()
        action = FORMS[self.form]()
        events = await action.run(dispatcher, self._tracker(text, intent, entities), DOMAIN)
        self._apply(events, dispatcher)
        if not any(e.get("name") == "requested_slot" for e in events):
            # The validation action left the next question to Rasa's form: ask the first gap.
            await self._open(self.form)
        if self.slots.get("requested_slot") is None:
            finished, self.form = self.form, None
            if finished == "ct_details_form":
                dispatcher = CollectingDispatcher()
                self._apply(await ActionCtRoute().run(dispatcher, self._tracker(), DOMAIN),
                            dispatcher)
                await self._advance()
            else:
                await self.complete()

    async def complete(self) -> list:
        self.form = None
        dispatcher = CollectingDispatcher()
        events = await ActionCtCompleteJourney().run(dispatcher, self._tracker(), DOMAIN)
        return self._apply(events, dispatcher)

    async def stop(self) -> None:
        self.form = None
        dispatcher = CollectingDispatcher()
        self._apply(await ActionCtEndJourney().run(dispatcher, self._tracker("stop", "stop"),
                                                   DOMAIN), dispatcher)

    async def verify(self, number: str, surname: str, postcode: str) -> None:
        await self.say(number)
        await self.say(surname)
        await self.say(postcode)
