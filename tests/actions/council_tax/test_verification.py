"""Council tax verification: who may see an account, lockouts, and what is never said before."""

from __future__ import annotations

import logging
import time

import pytest

from tests.actions.council_tax.chat import ALEX, JO, SAM, SECRETS, WRONG, Chat, said

pytestmark = pytest.mark.usefixtures("backoffice_env")


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


async def locked_out_by_other_conversations(backoffice) -> None:
    """Five failed attempts for Alex's account in two other conversations."""
    backoffice.pin("2026-12-01T10:00:00")
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
    backoffice_env.pin("2026-12-01T10:31:00")
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
