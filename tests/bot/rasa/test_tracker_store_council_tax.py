"""A council tax journey leaves no account number, surname, postcode or token in Rasa's
tracker store once it ends, on SQLite and PostgreSQL, and verification still works for the
next question while it is fresh."""

from __future__ import annotations

import time

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.council_tax.actions import forget_journey
from tests.bot.rasa.test_tracker_store import domain, say, store, stored  # noqa: F401

ACCOUNT, SURNAME, POSTCODE, TOKEN = "500000001", "Example", "AN1 1AA", "tok-7f3a9c"
PERSONAL = (ACCOUNT, SURNAME, POSTCODE, TOKEN, "Acacia Avenue")


def user(text: str, intent: str = "inform") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.95})


def journey(intent: str, verify: bool) -> list[list]:
    turns = [[user("how much do I owe", intent), ActionExecuted("action_ct_start_journey"),
              SlotSet("ct_journey", intent), SlotSet("ct_next", "verify"),
              ActionExecuted("ct_verification_form"), SlotSet("requested_slot",
                                                              "ct_account_number"),
              BotUttered("What is your account number?"), ActionExecuted("action_listen")]]
    if verify:
        turns += [[user(ACCOUNT), ActionExecuted("ct_verification_form"),
                   SlotSet("ct_account_number", ACCOUNT), BotUttered("And your surname?"),
                   ActionExecuted("action_listen")],
                  [user(f"{SURNAME}, {POSTCODE}"), ActionExecuted("ct_verification_form"),
                   SlotSet("ct_surname", SURNAME), SlotSet("ct_postcode", POSTCODE),
                   SlotSet("ct_verified", True), SlotSet("ct_token", TOKEN),
                   SlotSet("ct_verified_at", time.time()), SlotSet("requested_slot", None)]]
    return turns


async def end_journey(store, tracker: DialogueStateTracker) -> None:  # noqa: F811
    """What action_ct_complete_journey returns after its answer, through the real helper."""
    seen = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text=f"Your council tax for 1 Acacia Avenue, {POSTCODE}: £808")
    dispatcher.utter_message(json_message={"handoff": {"summary": "Can't pay", "references": {
        "account_number": ACCOUNT}}})
    cleared = [{"event": "slot", "name": name, "value": None, "timestamp": None}
               for name in ("ct_surname", "ct_postcode", "ct_journey", "ct_next")]
    events = forget_journey(dispatcher, seen, cleared)
    rasa_events = [ActionExecuted("action_ct_complete_journey"),
                   *(BotUttered(m.get("text"), data={"custom": m["custom"]} if m.get("custom")
                                else {}) for m in dispatcher.messages),
                   *(SlotSet(e["name"], e["value"]) for e in events),
                   ActionExecuted("action_listen")]
    await say(store, tracker, rasa_events)


async def test_a_finished_journey_leaves_no_personal_detail_and_verification_carries_on(
        store, domain):  # noqa: F811
    tracker = DialogueStateTracker("ct-1", domain.slots)
    await say(store, tracker, [ActionExecuted("action_listen"), user("hiya", "greet"),
                               ActionExecuted("utter_greet"), BotUttered("Hello"),
                               ActionExecuted("action_listen")])
    for turn in journey("ct_balance", verify=True):
        await say(store, tracker, turn)
    await end_journey(store, tracker)
    held = " ".join(data for *_, data in stored(store))
    # One copy of each still needed while verification is fresh, set after the payload.
    assert held.count(ACCOUNT) == 1 and held.count(TOKEN) == 1
    assert SURNAME not in held and POSTCODE not in held and "Acacia" not in held
    assert '"hiya"' in held  # before the journey: untouched

    again = await store.retrieve("ct-1")
    assert again.get_slot("ct_token") == TOKEN and again.get_slot("ct_account_number") == ACCOUNT
    assert again.get_slot("ct_verified") is True and again.get_slot("ct_surname") is None

    # A second journey on the same verification: the earlier copies go, one stays.
    for turn in journey("ct_pay", verify=False):
        await say(store, again, turn)
    await end_journey(store, again)
    held = " ".join(data for *_, data in stored(store))
    assert held.count(ACCOUNT) == 1 and held.count(TOKEN) == 1
    last = await store.retrieve("ct-1")
    assert last.get_slot("ct_token") == TOKEN
