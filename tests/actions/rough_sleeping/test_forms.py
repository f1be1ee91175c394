"""The report form with answers that aren't answers: asked again kindly, never the fallback."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet as CoreSlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.rough_sleeping.forms import QUESTIONS, ValidateRsReportForm
from bot.settings import PROJECT_DIR
from tests.actions.helpers import report_tracker, slot_values

DOMAIN_FILE = PROJECT_DIR / "domain.yml"
DOMAIN: dict[str, Any] = yaml.safe_load(DOMAIN_FILE.read_text())


def asked(question: str, text: str, intent: str, confidence: float = 0.95,
          mapped: Any = None, **slots: Any) -> Tracker:
    """The resident's reply to `question`; `mapped` is what the domain's mapping filled."""
    tracker = report_tracker({"requested_slot": question, **slots}, text=text, intent=intent,
                             confidence=confidence)
    if mapped is not None:
        tracker.events.append({"event": "slot", "name": question, "value": mapped})
        tracker.slots[question] = mapped
    return tracker


async def validate(tracker: Tracker) -> tuple[dict[str, Any], list[str]]:
    """Run the form's validation as Rasa does: the slots it sets and the responses it sends."""
    dispatcher = CollectingDispatcher()
    events = await ValidateRsReportForm().run(dispatcher, tracker, DOMAIN)
    return slot_values(events), [m.get("response") or m.get("text") for m in dispatcher.messages]


# --- asked again, not the fallback ---------------------------------------------------------

async def test_another_topic_is_not_taken_as_the_place():
    slots, said = await validate(asked("rs_location", "how much council tax do I owe",
                                       "ct_balance", 1.0, mapped="how much council tax do I owe"))
    assert slots == {"rs_location": None}  # a slot set: Rasa keeps the form, no fallback
    assert said == ["utter_rs_ask_again"]


async def test_what_do_you_mean_asks_again_instead_of_the_help_menu():
    for question in ("rs_in_danger", "rs_seen_time"):
        slots, said = await validate(asked(question, "what do you mean?", "help", 0.86))
        assert slots == {question: None} and said == ["utter_rs_ask_again"]


async def test_a_bare_ok_or_hello_answers_no_free_text_question():
    slots, said = await validate(asked("rs_person_description", "ok", "affirm", mapped="ok"))
    assert slots == {"rs_person_description": None} and said == ["utter_rs_ask_again"]


async def test_unclear_yes_or_no_is_asked_again():
    for reply, intent in (("hello?", "greet"), ("lol", "nlu_fallback"),
                          ("the weather is nice", "out_of_scope")):
        slots, said = await validate(asked("rs_contact_consent", reply, intent))
        assert slots == {"rs_contact_consent": None} and said == ["utter_rs_ask_again"]


async def test_not_sure_about_sending_is_asked_again_rather_than_dropping_the_report():
    slots, said = await validate(asked("rs_confirmed", "not sure", "deny", mapped=False))
    assert slots == {"rs_confirmed": None} and said == ["utter_rs_ask_again"]


# --- safety in unclear answers -------------------------------------------------------------

async def test_not_sure_of_their_age_counts_as_maybe_a_child():
    slots, said = await validate(asked("rs_under_18", "not sure", "deny", mapped=False))
    assert slots["rs_under_18"] is True and said == ["utter_rs_under_18_police"]


async def test_cannot_tell_whether_in_danger_gets_the_999_advice():
    slots, said = await validate(asked("rs_in_danger", "I can't tell", "nlu_fallback", 0.55))
    assert slots["rs_in_danger"] is True and said == ["utter_rs_call_999_now"]


async def test_danger_words_answer_the_danger_question():
    slots, said = await validate(asked("rs_in_danger", "he's not breathing", "rs_details"))
    assert slots["rs_in_danger"] is True and said == ["utter_rs_call_999_now"]


async def test_a_child_mentioned_while_asked_something_else_still_gets_police_advice():
    slots, said = await validate(asked("rs_contact_consent", "she's only about 15",
                                       "nlu_fallback", 0.55, rs_under_18=False))
    assert slots["rs_under_18"] is True and slots["rs_contact_consent"] is None
    assert said == ["utter_rs_under_18_police", "utter_rs_ask_again"]


# --- answers still taken -------------------------------------------------------------------

async def test_no_to_contact_details_makes_the_report_anonymous():
    answered = {"rs_in_danger": False, "rs_under_18": False, "rs_location": "by the library",
                "rs_seen_time": "last night", "rs_person_description": "a man in a red coat",
                "rs_contact_consent": True}
    slots, said = await validate(asked("rs_contact", "no", "deny", mapped="no", **answered))
    assert slots == {"rs_contact": None, "rs_contact_consent": False,
                     "requested_slot": "rs_confirmed"}
    assert said == ["utter_rs_stay_anonymous"]


async def test_free_text_answers_are_taken_whatever_nlu_guessed():
    for intent, confidence in (("nlu_fallback", 0.55), ("ct_balance", 0.6),
                               ("rough_sleeper_report", 0.99)):
        description = "two lads in sleeping bags, one with a dog"
        slots, _ = await validate(asked("rs_person_description", description, intent,
                                        confidence, mapped=description))
        assert slots["rs_person_description"] == description and slots["rs_people_count"] == 2


@pytest.mark.parametrize("intent", ["stop", "request_human", "homeless_self", "help",
                                    "bot_challenge"])
async def test_stop_a_person_homeless_help_and_bot_question_make_the_form_step_aside(intent):
    # Nothing validated: Rasa rejects the form and the rules for these intents run.
    assert await validate(asked("rs_in_danger", "cancel", intent)) == ({}, [])


# --- the kind words, from the domain ---------------------------------------------------------

def test_every_question_of_the_form_has_its_own_explanation():
    variations = DOMAIN["responses"]["utter_rs_ask_again"]
    explained = {c["value"] for v in variations for c in v.get("condition", [])}
    assert explained == set(QUESTIONS) == set(DOMAIN["forms"]["rs_report_form"]["required_slots"])
    assert any("condition" not in v for v in variations)  # and a default


async def test_rasa_picks_the_explanation_for_the_question_asked():
    domain = Domain.load(str(DOMAIN_FILE))
    tracker = DialogueStateTracker("resident-1", domain.slots)
    tracker.update(CoreSlotSet("requested_slot", "rs_under_18"))
    message = await TemplatedNaturalLanguageGenerator(domain.responses).generate(
        "utter_rs_ask_again", tracker, "rest")
    assert message is not None and "might be a child" in message["text"]
