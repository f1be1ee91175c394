"""Council tax journeys end to end: real actions, the stub back office over HTTP."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

import pytest
import requests

from actions.council_tax.parsing import long_date
from tests.actions.council_tax.chat import Chat

ALEX = ("500000001", "Example", "AN1 1AA")
SAM = ("5000 0000 2", "sample", "an2 3cc")
JO = ("500000003", "Student", "AN1 2BB")
WRONG = ("500000001", "Sample", "AN1 1AA")
# What must never reach a message or a log line before verification.
SECRETS = ["Alex", "Example", "Sam Sample", "Jo Student", "ending 1234", "Church Lane",
           "Acacia Avenue", "Beech Court", "808.00", "404.00", "2021.05", "1,959.81"]


pytestmark = pytest.mark.usefixtures("backoffice_env")


@pytest.fixture
def chat() -> Chat:
    return Chat()


def said(chat: Chat, *fragments: str) -> bool:
    return all(f in chat.text for f in fragments)


# --- verification -------------------------------------------------------------------------

async def test_balance_is_shown_only_after_verification(chat):
    await chat.start("ct_balance", "how much do I owe")
    assert chat.form == "ct_verification_form" and chat.messages == []
    await chat.verify(*ALEX)
    assert chat.slots["ct_verified"] is True
    assert said(chat, "Thank you, you're verified.", "band C", "1 Acacia Avenue",
                "Direct Debit from account ending 1234", "Next instalment")
    # Surname and postcode are dropped once they've done their job; no summary in slots.
    assert chat.slots["ct_surname"] is None and chat.slots["ct_postcode"] is None
    assert not any("Acacia" in str(v) or "Example" in str(v) for v in chat.slots.values())


async def test_sam_sees_overdue_amount_and_an_offer_of_help(chat):
    await chat.start("ct_balance", "what's my balance")
    await chat.verify(*SAM)
    assert said(chat, "band E", "single person discount", "is overdue", "I can't pay")


async def test_jo_is_told_there_is_nothing_to_pay(chat):
    await chat.start("ct_balance", "balance")
    await chat.verify(*JO)
    assert said(chat, "Class N exemption", "nothing to pay")


async def test_malformed_account_number_and_postcode_get_specific_re_asks(chat):
    await chat.start("ct_balance", "balance")
    await chat.say("12345")
    assert said(chat, "9 digits starting with 5")
    assert chat.slots["requested_slot"] == "ct_account_number"
    await chat.say("500 000 001")
    await chat.say("Example")
    await chat.say("not a postcode")
    assert said(chat, "doesn't look like a postcode. It should look like AN1 1AA. What's the "
                "postcode of the property the bill is for?")
    assert not chat.slots.get("ct_failures")  # a typo is not a failed attempt
    await chat.say("AN1 1AA")
    assert chat.slots["ct_verified"] is True


async def test_failure_never_says_which_detail_was_wrong(chat):
    await chat.start("ct_balance", "balance")
    await chat.verify(*WRONG)
    failure = chat.messages[-1]["text"]
    assert "don't match" in failure
    for word in ("surname", "postcode", "account number", "name"):
        assert word not in failure.lower()
    assert chat.slots["requested_slot"] == "ct_account_number"


async def test_three_failures_lock_verification_and_offer_staff(chat):
    await chat.start("ct_balance", "balance")
    for _ in range(3):
        await chat.verify(*WRONG)
    assert chat.slots["ct_locked"] is True and chat.slots["ct_next"] == "failed"
    assert chat.messages[-1]["buttons"][0]["payload"] == "/request_human"
    # Even the right details are not checked again in this conversation.
    await chat.start("ct_balance", "balance")
    assert chat.form is None and chat.slots.get("ct_verified") is not True
    assert "Example" not in chat.text and "ending 1234" not in chat.text


def pin_backoffice_clock(backoffice, now: str) -> None:
    requests.put(f"{backoffice.url}/_admin/clock", json={"now": now},
                 headers={"Authorization": "Bearer test-backoffice-token"},
                 timeout=5).raise_for_status()


async def locked_out_by_other_conversations(backoffice) -> None:
    """Five failed attempts for Alex's account in two other conversations."""
    pin_backoffice_clock(backoffice, "2026-12-01T10:00:00")
    for attempts in (3, 2):
        other = Chat()
        await other.start("ct_balance", "balance")
        for _ in range(attempts):
            await other.verify(*WRONG)


async def test_account_locked_out_by_the_back_office_is_refused_with_an_offer_of_staff(
        chat, backoffice_env, caplog):
    caplog.set_level(logging.DEBUG)
    await locked_out_by_other_conversations(backoffice_env)
    await chat.start("ct_balance", "how much do I owe")
    await chat.verify(*ALEX)  # the right details
    refusal = chat.messages[-1]
    assert "too many attempts" in refusal["text"] and "try again later" in refusal["text"]
    assert refusal["buttons"][0]["payload"] == "/request_human"
    assert chat.slots["ct_next"] == "failed" and chat.slots.get("ct_verified") is not True
    assert not chat.slots.get("ct_failures") and not chat.slots.get("ct_locked")
    assert chat.slots["ct_account_number"] is None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in [*SECRETS, "500000001"]:
        assert secret not in chat.text, secret
        assert secret not in logged, secret


async def test_account_lockout_says_the_same_whether_the_details_were_right(backoffice_env):
    await locked_out_by_other_conversations(backoffice_env)
    replies = []
    for details in (ALEX, WRONG):
        chat = Chat()
        await chat.start("ct_balance", "balance")
        await chat.verify(*details)
        replies.append(chat.messages)
    assert replies[0] == replies[1]


async def test_account_can_be_checked_again_after_the_cooling_off(chat, backoffice_env):
    await locked_out_by_other_conversations(backoffice_env)
    await chat.start("ct_balance", "balance")
    await chat.verify(*ALEX)
    assert chat.slots.get("ct_verified") is not True
    pin_backoffice_clock(backoffice_env, "2026-12-01T10:31:00")
    await chat.start("ct_balance", "balance")
    assert chat.form == "ct_verification_form"
    await chat.verify(*ALEX)
    assert chat.slots["ct_verified"] is True and said(chat, "band C")


async def test_verification_lapses_after_fifteen_idle_minutes(chat):
    await chat.start("ct_balance", "balance")
    await chat.verify(*ALEX)
    await chat.start("ct_pay", "how do I pay")
    assert said(chat, "Your reference is your account number, 500000001")
    chat.slots["ct_verified_at"] = time.time() - 15 * 60 - 1
    before = len(chat.messages)
    await chat.start("ct_balance", "balance again")
    assert chat.form == "ct_verification_form" and chat.slots["ct_token"] is None
    assert "check your details again" in chat.messages[before]["text"]


async def test_nothing_about_the_account_is_said_or_logged_before_verification(chat, caplog):
    caplog.set_level(logging.DEBUG)
    await chat.start("ct_balance", "how much do I owe")
    await chat.verify(*WRONG)
    await chat.verify("500000002", "Sample", "AN1 1AA")
    await chat.start("ct_pay", "pay")
    await chat.start("ct_cannot_pay", "I can't pay")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS:
        assert secret not in chat.text, secret
        assert secret not in logged, secret
    # and the check can fail: after verifying, the details do appear
    await chat.start("ct_balance", "balance")
    await chat.verify(*ALEX)
    assert "ending 1234" in chat.text


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
