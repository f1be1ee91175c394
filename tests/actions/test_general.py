"""The fallback's "did you mean" question."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.general import ActionDefaultAskAffirmation
from tests.actions.helpers import tracker_for, user_event


async def test_affirmation_names_the_likeliest_service_in_plain_words():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event("bin thing", "nlu_fallback", ranking=[
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "greet", "confidence": 0.3},
        {"name": "bin_missed", "confidence": 0.25},
    ]))
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["text"] == ("Sorry, I'm not sure I understood. Do you want to "
                               "report a missed bin collection?")
    assert [b["payload"] for b in message["buttons"]] == ["/bin_missed", "/out_of_scope"]


async def test_affirmation_asks_to_rephrase_when_no_service_is_likely():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event("blah", "nlu_fallback", ranking=[
        {"name": "nlu_fallback", "confidence": 0.5}, {"name": "greet", "confidence": 0.2}]))
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


async def test_affirmation_does_not_guess_from_a_weak_second_choice():
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(user_event("zxqv", "nlu_fallback", ranking=[
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ct_single_person_discount", "confidence": 0.08}]))
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
