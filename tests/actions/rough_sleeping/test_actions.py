"""Rough sleeping and homelessness actions, run against the stub back office over HTTP."""

from __future__ import annotations

import logging
import time

import pytest
import requests
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.rough_sleeping import REPORT_SLOTS
from actions.rough_sleeping.actions import (
    ActionHomelessHelp,
    ActionRsClearReport,
    ActionRsHandOff,
    ActionRsStart,
    ActionRsSubmitReport,
)
from bot.backoffice.models import RoughSleepingReport
from bot.db import session_scope
from tests.actions.helpers import report_tracker as tracker
from tests.actions.helpers import slot_values, texts, tracker_for, user_event
from tests.actions.rough_sleeping.reports import DESCRIPTION, complete_report
from tests.conftest import AUTH


@pytest.fixture
def swep_in_force(backoffice_env):
    requests.put(f"{backoffice_env.url}/rough-sleeping/swep", json={"active": True},
                 headers=AUTH, timeout=5).raise_for_status()
    return backoffice_env


def handoff(dispatcher: CollectingDispatcher) -> dict:
    return next(m["custom"]["handoff"] for m in dispatcher.messages
                if (m.get("custom") or {}).get("handoff"))


def redaction(dispatcher: CollectingDispatcher) -> dict:
    [redact] = [m["custom"]["redact"] for m in dispatcher.messages
                if "redact" in (m.get("custom") or {})]
    return redact


def stored_reports(served_backoffice) -> list[RoughSleepingReport]:
    with session_scope(served_backoffice.app.state.session_factory) as session:
        return list(session.scalars(select(RoughSleepingReport)).all())


# --- start: safety first -------------------------------------------------------------------

async def test_first_reply_gives_999_advice_before_anything_else():
    dispatcher = CollectingDispatcher()
    await ActionRsStart().run(dispatcher, tracker(text="report a rough sleeper"), {})
    assert dispatcher.messages[0]["response"] == "utter_rs_safety_first"


async def test_danger_in_first_message_says_call_999_now_and_skips_the_question():
    dispatcher = CollectingDispatcher()
    events = await ActionRsStart().run(
        dispatcher, tracker(text="there's a man collapsed in a doorway, not breathing"), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_rs_safety_first", "utter_rs_call_999_now"]
    assert slot_values(events)["rs_in_danger"] is True


async def test_child_in_first_message_says_call_police_on_999():
    dispatcher = CollectingDispatcher()
    events = await ActionRsStart().run(
        dispatcher, tracker(text="a teenage girl is sleeping at the bus station"), {})
    assert "utter_rs_under_18_police" in [m["response"] for m in dispatcher.messages]
    assert slot_values(events)["rs_under_18"] is True


async def test_specific_place_in_first_message_is_kept_and_old_report_forgotten():
    text = "someone is sleeping in the bus shelter on High Street"
    earlier = {"rs_reference": "RS-100001", "rs_person_description": "from an earlier report"}
    events = await ActionRsStart().run(CollectingDispatcher(), tracker(earlier, text=text), {})
    values = slot_values(events)
    assert values["rs_location"] == "in the bus shelter on High Street"
    assert values["rs_reference"] is None and values["rs_person_description"] is None


async def test_start_leaves_empty_slots_alone_so_the_form_does_not_check_them():
    events = await ActionRsStart().run(CollectingDispatcher(), tracker(text="report one"), {})
    assert events == []


async def test_vague_first_message_does_not_fill_the_place():
    events = await ActionRsStart().run(
        CollectingDispatcher(), tracker(text="someone's sleeping rough in town"), {})
    assert "rs_location" not in {e["name"] for e in events if e.get("value")}


# --- submitting ----------------------------------------------------------------------------

async def test_confirmed_report_made_with_reference_team_and_details_cleared(backoffice_env,
                                                                            caplog):
    caplog.set_level(logging.DEBUG)
    dispatcher = CollectingDispatcher()
    events = await ActionRsSubmitReport().run(dispatcher, tracker(complete_report()), {})

    reports = stored_reports(backoffice_env)
    assert len(reports) == 1 and reports[0].person_description == DESCRIPTION
    said = texts(dispatcher)
    assert f"Your reference is {reports[0].reference}" in said
    assert "Northfield Street Outreach Team" in said
    assert "10pm to 7am" in said  # outreach goes out mostly at night
    values = slot_values(events)
    assert values["rs_reference"] == reports[0].reference
    assert all(values[slot] is None for slot in REPORT_SLOTS)
    assert DESCRIPTION not in caplog.text and "Church Lane" not in caplog.text
    redact = redaction(dispatcher)
    assert redact["resident_messages"] >= 1 and reports[0].reference in redact["reason"]


async def test_postcode_typed_into_a_report_does_not_replace_the_residents_own(backoffice_env):
    report = tracker_for(
        {"event": "slot", "name": "postcode", "value": "AN1 1AA"},
        user_event("someone is sleeping by the church, AN2 3CC", "rough_sleeper_report"),
        {"event": "slot", "name": "postcode", "value": "AN2 3CC"},
        {"event": "action", "name": "action_rs_start"}, user_event("yes", "affirm"),
        slots=complete_report(postcode="AN2 3CC"))
    events = await ActionRsSubmitReport().run(CollectingDispatcher(), report, {})
    assert slot_values(events)["postcode"] == "AN1 1AA"


async def test_under_18_report_goes_to_childrens_services(backoffice_env):
    dispatcher = CollectingDispatcher()
    await ActionRsSubmitReport().run(dispatcher, tracker(complete_report(rs_under_18=True)), {})
    assert "Children's Services and the police" in texts(dispatcher)
    assert stored_reports(backoffice_env)[0].routed_to_kind == "childrens_services"


async def test_contact_with_consent_promises_update_date(backoffice_env):
    dispatcher = CollectingDispatcher()
    await ActionRsSubmitReport().run(dispatcher, tracker(complete_report(
        rs_contact_consent=True, rs_contact_name="Pat", rs_contact_email="pat@example.com",
        rs_updates_consent=True)), {})
    report = stored_reports(backoffice_env)[0]
    assert report.reporter_email == "pat@example.com" and report.update_due is not None
    assert "We will update you by" in texts(dispatcher)


async def test_no_consent_means_no_contact_details_sent(backoffice_env):
    await ActionRsSubmitReport().run(CollectingDispatcher(), tracker(complete_report(
        rs_contact_consent=False, rs_contact_phone="07700900123")), {})
    report = stored_reports(backoffice_env)[0]
    assert report.reporter_phone is None and report.consent_to_contact is False


async def test_swep_in_force_is_mentioned(swep_in_force):
    dispatcher = CollectingDispatcher()
    await ActionRsSubmitReport().run(dispatcher, tracker(complete_report()), {})
    assert "severe weather emergency protocol" in texts(dispatcher)


async def test_report_not_confirmed_is_not_sent_and_details_cleared(backoffice_env):
    dispatcher = CollectingDispatcher()
    events = await ActionRsSubmitReport().run(
        dispatcher, tracker(complete_report(rs_confirmed=False)), {})
    assert dispatcher.messages[0]["response"] == "utter_rs_not_sent"
    assert stored_reports(backoffice_env) == []
    assert slot_values(events)["rs_person_description"] is None
    assert "not sent" in redaction(dispatcher)["reason"]


async def test_outage_hands_every_detail_to_staff_and_keeps_them(backoffice_env):
    backoffice_env.set_faults(outage=True)
    dispatcher = CollectingDispatcher()
    events = await ActionRsSubmitReport().run(
        dispatcher, tracker(complete_report(rs_in_danger=True)), {})

    payload = handoff(dispatcher)
    assert payload["topic"] == "rough_sleeping" and payload["priority"] == "urgent"
    for detail in ("Church Lane", DESCRIPTION, "In immediate danger: yes"):
        assert detail in payload["summary"]
    assert "Nothing you've told me is lost" in texts(dispatcher)
    assert ConversationPaused() in events
    kept = slot_values(events)
    assert kept["rs_idempotency_key"] and "rs_person_description" not in kept


async def test_retry_after_lost_answer_makes_one_report(backoffice_env):
    slots = complete_report(rs_idempotency_key="conversation-1-report")
    await ActionRsSubmitReport().run(CollectingDispatcher(), tracker(slots), {})
    dispatcher = CollectingDispatcher()
    await ActionRsSubmitReport().run(dispatcher, tracker(slots), {})
    reports = stored_reports(backoffice_env)
    assert len(reports) == 1 and reports[0].reference in texts(dispatcher)


async def test_unreachable_system_hands_report_to_staff(monkeypatch):
    monkeypatch.setenv("BACKOFFICE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BACKOFFICE_RETRIES", "0")
    dispatcher = CollectingDispatcher()
    await ActionRsSubmitReport().run(dispatcher, tracker(complete_report()), {})
    assert DESCRIPTION in handoff(dispatcher)["summary"]


# --- stop and staff mid-report -------------------------------------------------------------

async def test_stop_forgets_every_detail():
    dispatcher = CollectingDispatcher()
    events = await ActionRsClearReport().run(dispatcher, tracker(complete_report()), {})
    assert dispatcher.messages[0]["response"] == "utter_rs_stopped"
    assert all(value is None for value in slot_values(events).values())
    assert "stopped" in redaction(dispatcher)["reason"]  # "deleted the details" holds


async def test_asking_for_staff_mid_report_passes_details_so_far():
    dispatcher = CollectingDispatcher()
    events = await ActionRsHandOff().run(dispatcher, tracker(
        {"rs_in_danger": False, "rs_under_18": True, "rs_location": "Doorway of Boots"}), {})
    payload = handoff(dispatcher)
    assert "Doorway of Boots" in payload["summary"]
    assert payload["safeguarding"] is True and payload["priority"] == "urgent"
    assert ConversationPaused() in events


# --- homeless themselves -------------------------------------------------------------------

async def test_homeless_resident_gets_advice_and_urgent_safeguarding_handoff(backoffice_env):
    dispatcher = CollectingDispatcher()
    events = await ActionHomelessHelp().run(
        dispatcher, tracker(text="I have nowhere to sleep tonight", intent="homeless_self"), {})
    responses = [m.get("response") for m in dispatcher.messages]
    for response in ("utter_homeless_kind", "utter_homeless_999", "utter_homeless_tonight",
                     "utter_homeless_56_days", "utter_handoff_started"):
        assert response in responses
    assert "utter_homeless_swep" not in responses
    payload = handoff(dispatcher)
    assert payload == {**payload, "topic": "homelessness", "priority": "urgent",
                       "safeguarding": True}
    assert ConversationPaused() in events
    assert "rs_person_description" not in slot_values(events)


async def test_homeless_resident_told_about_swep_beds_when_in_force(swep_in_force):
    dispatcher = CollectingDispatcher()
    await ActionHomelessHelp().run(dispatcher, tracker(text="I'm homeless"), {})
    assert "utter_homeless_swep" in [m.get("response") for m in dispatcher.messages]


async def test_homeless_resident_still_helped_when_back_office_down(backoffice_env):
    backoffice_env.set_faults(outage=True)
    dispatcher = CollectingDispatcher()
    await ActionHomelessHelp().run(dispatcher, tracker(text="I'm homeless"), {})
    assert handoff(dispatcher)["priority"] == "urgent"
    assert "utter_homeless_tonight" in [m.get("response") for m in dispatcher.messages]


async def test_slow_back_office_does_not_hold_up_urgent_help(backoffice_env, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_READ_TIMEOUT", "10")
    monkeypatch.setenv("BACKOFFICE_RETRIES", "2")
    backoffice_env.set_faults(latency_ms=5000)
    started = time.monotonic()
    dispatcher = CollectingDispatcher()
    await ActionHomelessHelp().run(dispatcher, tracker(text="I'm homeless"), {})
    assert time.monotonic() - started < 4
    assert handoff(dispatcher)["safeguarding"] is True


async def test_homeless_and_someone_else_mentioned_both_go_to_staff(backoffice_env):
    dispatcher = CollectingDispatcher()
    await ActionHomelessHelp().run(dispatcher, tracker(
        text="I'm homeless and there's someone else in the doorway too",
        intent="homeless_self"), {})
    assert "someone else sleeping rough" in texts(dispatcher)
    assert "another person sleeping rough" in handoff(dispatcher)["summary"]


async def test_report_started_before_saying_homeless_is_passed_to_staff(backoffice_env):
    dispatcher = CollectingDispatcher()
    await ActionHomelessHelp().run(dispatcher, tracker(
        {"rs_location": "Doorway of Boots on Church Lane"}, text="I've been evicted too",
        intent="homeless_self"), {})
    assert "Doorway of Boots on Church Lane" in handoff(dispatcher)["summary"]


def test_clearing_covers_every_personal_slot():
    personal = {"rs_person_description", "rs_location", "rs_location_first_try",
                "rs_contact_phone", "rs_contact_email", "rs_contact_name", "rs_seen_time"}
    assert personal <= set(REPORT_SLOTS)
