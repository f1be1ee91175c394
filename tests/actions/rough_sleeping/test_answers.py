"""The report form checks each answer, and asks its varying questions in the right words."""

from __future__ import annotations

from datetime import datetime, timedelta

from rasa_sdk.executor import CollectingDispatcher

from actions.rough_sleeping.forms import (
    ActionAskRsConfirmed,
    ActionAskRsLocation,
    ValidateRsReportForm,
    now_uk,
)
from tests.actions.helpers import report_tracker as tracker
from tests.actions.helpers import texts
from tests.actions.rough_sleeping.reports import DESCRIPTION, complete_report

# --- checking each answer -----------------------------------------------------------------

FORM = ValidateRsReportForm()


def test_unanswered_questions_are_not_checked():
    dispatcher = CollectingDispatcher()
    for slot in ("rs_location", "rs_seen_time", "rs_person_description", "rs_contact"):
        assert getattr(FORM, f"validate_{slot}")(None, dispatcher, tracker(), {}) == {slot: None}
    assert dispatcher.messages == []


def test_vague_place_is_asked_about_once_more_then_combined():
    first = FORM.validate_rs_location("in town", CollectingDispatcher(), tracker(), {})
    assert first == {"rs_location": None, "rs_location_first_try": "in town"}

    dispatcher = CollectingDispatcher()
    second = FORM.validate_rs_location(
        "near the shops", dispatcher, tracker({"rs_location_first_try": "in town"}), {})
    assert second["rs_location"] == "in town; near the shops"
    assert "in town; near the shops" in texts(dispatcher)


def test_specific_place_confirmed_back_with_the_places_picked_out():
    text = "outside the entrance of the Mall on Market Street AN1 2BB"
    dispatcher = CollectingDispatcher()
    slots = FORM.validate_rs_location(text, dispatcher, tracker(
        text=text, entities=[{"entity": "FAC", "value": "the Mall"}]), {})
    assert slots["rs_location"] == text and slots["rs_postcode"] == "AN1 2BB"
    assert "Places I picked out: the Mall, Market Street" in texts(dispatcher)


def test_danger_mentioned_in_any_answer_says_call_999():
    dispatcher = CollectingDispatcher()
    slots = FORM.validate_rs_location("doorway of Boots on Church Lane, he's not breathing",
                                      dispatcher, tracker(), {})
    assert slots["rs_in_danger"] is True
    assert "utter_rs_call_999_now" in [m.get("response") for m in dispatcher.messages]


def test_time_seen_read_and_confirmed_or_asked_again():
    dispatcher = CollectingDispatcher()
    slots = FORM.validate_rs_seen_time("2 hours ago", dispatcher, tracker(), {})
    seen = datetime.fromisoformat(slots["rs_seen_at"])
    assert abs((now_uk() - timedelta(hours=2) - seen).total_seconds()) < 120
    assert "Got it" in texts(dispatcher)

    unclear = CollectingDispatcher()
    assert FORM.validate_rs_seen_time("dunno", unclear, tracker(), {}) == {"rs_seen_time": None}
    assert unclear.messages[0]["response"] == "utter_rs_seen_time_unclear"


def test_description_counts_people_and_spots_a_child():
    dispatcher = CollectingDispatcher()
    slots = FORM.validate_rs_person_description(
        "two lads, one looks about 15", dispatcher, tracker({"rs_under_18": False}), {})
    assert slots["rs_people_count"] == 2 and slots["rs_under_18"] is True
    assert FORM.validate_rs_person_description(
        "man", CollectingDispatcher(), tracker(), {}) == {"rs_person_description": None}


def test_contact_needs_a_phone_or_email_and_raw_text_is_not_kept():
    assert FORM.validate_rs_contact("Pat", CollectingDispatcher(), tracker(), {}) == {
        "rs_contact": None}
    slots = FORM.validate_rs_contact("Pat Smith, 07700 900123", CollectingDispatcher(),
                                     tracker(), {})
    assert slots == {"rs_contact": "given", "rs_contact_name": "Pat Smith",
                     "rs_contact_phone": "07700900123", "rs_contact_email": None}


async def test_contact_questions_skipped_without_consent():
    slots = ["rs_contact_consent", "rs_contact", "rs_updates_consent", "rs_confirmed"]
    without = await FORM.required_slots(slots, CollectingDispatcher(),
                                        tracker({"rs_contact_consent": False}), {})
    assert without == ["rs_contact_consent", "rs_confirmed"]
    assert await FORM.required_slots(slots, CollectingDispatcher(),
                                     tracker({"rs_contact_consent": True}), {}) == slots


# --- the question that varies ---------------------------------------------------------------

async def test_place_question_asks_for_more_detail_after_a_vague_answer():
    first, again = CollectingDispatcher(), CollectingDispatcher()
    await ActionAskRsLocation().run(first, tracker(), {})
    await ActionAskRsLocation().run(again, tracker({"rs_location_first_try": "in town"}), {})
    assert "Where exactly" in texts(first)
    assert "more" in texts(again) and "street name" in texts(again)


async def test_summary_shows_every_detail_and_asks_to_send():
    dispatcher = CollectingDispatcher()
    await ActionAskRsConfirmed().run(dispatcher, tracker(complete_report(
        rs_contact_consent=True, rs_contact_name="Pat", rs_contact_phone="07700900123",
        rs_updates_consent=True)), {})
    summary = texts(dispatcher)
    for part in ("Church Lane", "AN2 3CC", DESCRIPTION, "1 person", "07700900123",
                 "Update within 10 working days: yes", "Shall I send it"):
        assert part in summary
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]
