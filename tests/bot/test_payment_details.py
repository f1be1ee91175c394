"""Card numbers and bank details found in what residents type; the council's own numbers kept."""

from __future__ import annotations

import pytest

from bot.payment_details import (
    BANK_REMOVED,
    CARD_REMOVED,
    card_spans,
    luhn_ok,
    remove_payment_details,
)


@pytest.mark.parametrize("typed, expected", [
    ("4111 1111 1111 1111", CARD_REMOVED),
    ("card 4111-1111-1111-1111 ok", f"card {CARD_REMOVED} ok"),
    ("5555555555554444 expires 12/28", f"{CARD_REMOVED} expires 12/28"),
    ("amex 3782 822463 10005", f"amex {CARD_REMOVED}"),
    ("call 07700 900123, card 4111 1111 1111 1111",
     f"call 07700 900123, card {CARD_REMOVED}"),
])
def test_card_numbers_are_removed(typed: str, expected: str) -> None:
    assert remove_payment_details(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("sort code 20-00-00 account 12345678",
     f"sort code {BANK_REMOVED} account {BANK_REMOVED}"),
    ("my sort code is 20 00 00", f"my sort code is {BANK_REMOVED}"),
    ("sortcode: 200000", f"sortcode: {BANK_REMOVED}"),
    ("20-00-00 12345678", BANK_REMOVED),
    ("it's 40-11-62", f"it's {BANK_REMOVED}"),
    ("my bank account number is 12345678", f"my bank account number is {BANK_REMOVED}"),
    ("acc 1234 5678", f"acc {BANK_REMOVED}"),
    ("a/c no. 12345678", f"a/c no. {BANK_REMOVED}"),
    ("IBAN GB29 NWBK 6016 1331 9268 19", f"IBAN {BANK_REMOVED}"),
])
def test_bank_details_are_removed(typed: str, expected: str) -> None:
    assert remove_payment_details(typed) == expected


@pytest.mark.parametrize("typed", [
    "account 500000001",
    "my account number is 500000001",
    "my account number is 500 000 002",
    "AN1 1AA",
    "UPRN 100000000101",
    "call me on 07700 900123",
    "ring 01234 567890 or +44 7700 900 123",
    "0044 7700 900123",
    "on 01-12-26",
    "2026-12-01 or 01/12/2026 or 1 December 2026",
    "1234 5678 9012 3456",  # fails Luhn's check
    "500000001 500000002",
    "reference RS-123456",
    "£1,234.50 by 12345678",  # eight digits with no account wording
])
def test_the_councils_own_numbers_dates_and_phones_stay(typed: str) -> None:
    assert remove_payment_details(typed) == typed


def test_card_spans_give_the_digits() -> None:
    assert card_spans("x 4111-1111-1111-1111") == [(2, 21, "4111111111111111")]
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
