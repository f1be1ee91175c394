"""Leaving council tax verification for another service and coming back, over the REST
channel of a real Rasa."""

from __future__ import annotations

import uuid

from tests.e2e.live_stack import reply_text as text

ACCOUNT_QUESTION = "What's your council tax account number?"
SURNAME_QUESTION = "What's the surname of the person named on the bill?"


def test_bin_day_after_giving_the_account_number_then_back_to_the_balance(live_stack):
    sender = str(uuid.uuid4())
    assert ACCOUNT_QUESTION in text(live_stack.say(sender, "how much council tax do I owe?"))
    assert SURNAME_QUESTION in text(live_stack.say(sender, "500000001"))
    assert "postcode" in text(live_stack.say(sender, "when is my bin day"))
    live_stack.say(sender, "AN1 1AA")
    assert "Collections at 1 Acacia Avenue" in text(live_stack.say(sender, "100000000101"))
    # Coming back starts afresh: the unverified account number was forgotten.
    assert ACCOUNT_QUESTION in text(live_stack.say(sender, "how much council tax do I owe?"))
    live_stack.say(sender, "500000001")
    live_stack.say(sender, "Example")
    balance = text(live_stack.say(sender, "AN1 1AA"))
    assert "you're verified" in balance and "band C" in balance


def test_report_of_someone_sleeping_rough_during_verification_then_back(live_stack):
    sender = str(uuid.uuid4())
    live_stack.say(sender, "what's my balance")
    live_stack.say(sender, "500000001")
    report = text(live_stack.say(sender, "someone is sleeping in a doorway"))
    assert SURNAME_QUESTION not in report and "account" not in report
    live_stack.say(sender, "cancel")
    assert ACCOUNT_QUESTION in text(live_stack.say(sender, "what's my balance"))
