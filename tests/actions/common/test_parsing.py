"""What residents type, read by the shared pure helpers: postcodes, account numbers, money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.common.parsing import (
    find_postcode,
    format_money,
    normalise_account_number,
    normalise_postcode,
)


@pytest.mark.parametrize("raw, postcode", [
    ("an11aa", "AN1 1AA"), (" AN1  1AA ", "AN1 1AA"), ("an2 3cc", "AN2 3CC"),
    ("SW1A1AA", "SW1A 1AA"), ("AN1", None), ("not a postcode", None), ("", None), (None, None),
])
def test_postcodes_are_normalised_or_refused(raw, postcode):
    assert normalise_postcode(raw) == postcode


@pytest.mark.parametrize("text, postcode", [
    ("it's an1 1aa thanks", "AN1 1AA"), ("AN2 3CC", "AN2 3CC"),
    ("i live at 12 church lane", None), (None, None),
])
def test_postcode_is_found_inside_free_text(text, postcode):
    assert find_postcode(text) == postcode


@pytest.mark.parametrize("raw, number", [
    ("500000001", "500000001"), ("5000 0000 1", "500000001"), ("5000-0000-1", "500000001"),
    ("400000001", None), ("50000001", None), ("", None), (None, None),
])
def test_account_numbers_are_nine_digits_starting_with_5(raw, number):
    assert normalise_account_number(raw) == number


@pytest.mark.parametrize("amount, money", [
    (1234.5, "£1,234.50"), (Decimal("808"), "£808.00"), ("0.005", "£0.01"), (0, "£0.00"),
    (-12.3, "-£12.30"),
])
def test_money_is_pounds_and_pence_with_credit_signed(amount, money):
    assert format_money(amount) == money
