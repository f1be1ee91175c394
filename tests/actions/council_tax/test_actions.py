"""Council tax journeys end to end: real actions, the stub back office over HTTP."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from actions.council_tax.parsing import long_date
from tests.actions.council_tax.chat import ALEX, JO, SAM, said

pytestmark = pytest.mark.usefixtures("backoffice_env")


# --- journeys -----------------------------------------------------------------------------

async def test_band_lookup_is_public_with_charges_and_how_to_challenge(chat):
    await chat.start("ct_band", "what band is AN2 3CC")
    assert said(chat, "10 Church Lane: band E", "12 Church Lane: band F",
                "Valuation Office Agency", "1 April 1991", "Keep paying")
    assert chat.slots.get("ct_verified") is not True


async def test_band_lookup_asks_for_a_postcode_and_re_asks_a_bad_one(chat):
    await chat.start("ct_band", "what band is my house")
    await chat.say("my house")
    assert said(chat, "doesn't look like a postcode. It should look like AN1 1AA.")
    assert not said(chat, "the bill is for")
    await chat.say("an1 2bb")
    assert said(chat, "Flat 3, Beech Court", "band A")


async def test_ways_to_pay_without_verification_give_no_account_detail(chat):
    await chat.start("ct_pay", "can I pay online")
    assert said(chat, "9 digits starting with 5", "PayPoint")
    assert "account=" not in chat.text


async def test_switch_to_twelve_instalments_shows_the_new_schedule(chat):
    await chat.start("ct_instalments", "pay over 12 months")
    await chat.say("yes", intent="affirm")
    await chat.verify(*SAM)
    assert said(chat, "You now pay in 12 instalments", "1 March")


async def test_declining_twelve_instalments_needs_no_verification(chat):
    await chat.start("ct_instalments", "12 instalments?")
    await chat.say("no", intent="deny")
    assert chat.form is None and said(chat, "left your instalments as they are")


async def test_payment_day_change_for_a_direct_debit_payer(chat):
    await chat.start("ct_direct_debit", "change my DD date")
    await chat.say("the 10th")
    assert said(chat, "1st, 8th, 15th or 23rd")
    await chat.say("the 15th")
    await chat.verify(*ALEX)
    assert said(chat, "taken on the 15th of the month")


async def test_payment_day_without_a_direct_debit_points_to_a_secure_set_up(chat):
    await chat.start("ct_direct_debit", "I want to pay by direct debit")
    await chat.say("23rd")
    await chat.verify(*SAM)
    assert said(chat, "don't take bank details in this chat", "23rd")


async def test_single_person_discount_application_gives_reference_and_evidence(chat):
    await chat.start("ct_single_person_discount", "I live on my own")
    await chat.say("just me")
    await chat.say("in a fortnight next year")
    assert said(chat, "didn't understand that date")
    await chat.say((date.today() - timedelta(days=400)).strftime("%d/%m/%Y"))
    assert said(chat, "more than a year ago")
    await chat.say("yesterday")
    await chat.verify(*ALEX)
    assert said(chat, "Your reference is CTD-", long_date(date.today() - timedelta(days=1)))


async def test_two_adults_are_told_they_do_not_qualify_without_verifying(chat):
    await chat.start("ct_single_person_discount", "single person discount")
    await chat.say("2")
    assert chat.form is None and said(chat, "only one adult")


async def test_sam_already_has_the_single_person_discount(chat):
    await chat.start("ct_single_person_discount", "I live alone")
    await chat.say("only me")
    await chat.say("today")
    await chat.verify(*SAM)
    assert said(chat, "already has the single person discount")


async def test_student_exemption_application(chat):
    await chat.start("ct_student_exemption", "we're all students")
    await chat.say("yes", intent="affirm")
    await chat.say("the 1st")
    await chat.say("30/6/2029")
    await chat.say("Anytown University")
    await chat.verify(*ALEX)
    assert said(chat, "student exemption application is in", "CTE-", "student certificate")


async def test_jo_already_has_the_student_exemption(chat):
    await chat.start("ct_student_exemption", "student exemption")
    await chat.say("yes", intent="affirm")
    await chat.say("today")
    await chat.say("30/6/2029")
    await chat.say("Anytown University")
    await chat.verify(*JO)
    assert said(chat, "already has a student exemption")


async def test_moving_out_with_a_forwarding_address(chat):
    await chat.start("ct_moving", "I'm moving out")
    await chat.say("moving out of Anytown")
    await chat.say("3/99")
    assert said(chat, "didn't understand that date")
    await chat.say("next Friday")
    await chat.say("5 Sea View, Bournemouth BH1 1AA")
    await chat.verify(*ALEX)
    assert said(chat, "Your reference is CTM-", "charged by the day")


async def test_moving_within_anytown_finds_the_new_address(chat):
    await chat.start("ct_moving", "moving house")
    await chat.say("to another house in anytown")
    await chat.say("the 3rd")
    await chat.say("99 Church Lane AN2 3CC")
    assert said(chat, "couldn't find that address at AN2 3CC")
    await chat.say("12 Church Lane, AN2 3CC")
    assert chat.slots["ct_new_uprn"] == "100000000312"
    await chat.verify(*SAM)
    assert said(chat, "CTM-")
    assert chat.slots["ct_new_uprn"] is None and chat.slots["ct_date"] is None


async def test_moving_in_needs_no_verification(chat):
    await chat.start("ct_moving", "I've just moved in")
    await chat.say("moving into Anytown")
    await chat.say("today")
    await chat.say("Flat 5, Beech Court, AN1 2BB")
    await chat.say("Pat Newcomer")
    assert chat.slots.get("ct_verified") is not True
    assert said(chat, "moving in on", "CTM-")


async def test_cannot_pay_verified_explains_the_stage_and_escalates_with_priority(chat):
    await chat.start("ct_balance", "balance")
    await chat.verify(*SAM)
    events = await chat.start("ct_cannot_pay", "I can't afford it")
    assert said(chat, "I'm sorry", "second reminder", "Council Tax Reduction", "hardship")
    handoff = next(m["custom"]["handoff"] for m in chat.messages if m.get("custom"))
    assert handoff["priority"] == "high" and handoff["verified"] is True
    assert handoff["references"]["account_number"] == "500000002"
    assert any(e.get("event") == "pause" for e in chat.events + events)


async def test_cannot_pay_unverified_still_gets_support_and_a_person(chat):
    await chat.start("ct_cannot_pay", "I've got a summons")
    assert said(chat, "summons", "Council Tax Reduction", "StepChange")
    handoff = next(m["custom"]["handoff"] for m in chat.messages if m.get("custom"))
    assert handoff["priority"] == "high" and handoff["verified"] is False


async def test_stopping_clears_the_journeys_answers(chat):
    await chat.start("ct_moving", "I'm moving")
    await chat.say("moving out")
    await chat.say("next friday")
    await chat.stop()
    assert chat.slots["ct_date"] is None and chat.slots["ct_journey"] is None


async def test_an_account_number_in_the_question_is_not_asked_again(chat):
    await chat.start("ct_balance", "balance for 500000001",
                     entities=[{"entity": "account_number", "value": "500000001"}])
    assert chat.slots["requested_slot"] == "ct_surname"


# --- back-office failures -----------------------------------------------------------------

async def test_outage_during_verification_offers_staff(chat, backoffice_env):
    await chat.start("ct_balance", "balance")
    backoffice_env.set_faults(outage=True)
    await chat.verify(*ALEX)
    assert chat.messages[-1]["response"] == "utter_backoffice_unavailable"
    assert chat.slots["ct_next"] == "failed" and chat.slots.get("ct_verified") is not True


async def test_outage_after_verification_offers_staff(chat, backoffice_env):
    await chat.start("ct_single_person_discount", "I live alone")
    await chat.say("just me")
    await chat.say("today")
    await chat.say(ALEX[0])
    await chat.say(ALEX[1])
    backoffice_env.set_faults(outage=True)
    await chat.say(ALEX[2])
    assert chat.messages[-1]["response"] == "utter_backoffice_unavailable"
    backoffice_env.set_faults(outage=False)


async def test_band_lookup_outage_offers_staff(chat, backoffice_env):
    backoffice_env.set_faults(outage=True)
    await chat.start("ct_band", "band for AN1 1AA")
    assert chat.messages[-1]["response"] == "utter_backoffice_unavailable"


async def test_using_the_verified_account_restarts_the_idle_clock(chat):
    await chat.start("ct_balance", "balance")
    await chat.verify(*ALEX)
    chat.slots["ct_verified_at"] = time.time() - 14 * 60
    await chat.start("ct_pay", "how do I pay")
    assert time.time() - chat.slots["ct_verified_at"] < 5
    assert said(chat, "account=500000001")
