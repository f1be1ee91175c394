"""The shared form helpers: picking the resident's property from what they typed."""

from __future__ import annotations

import pytest

from actions.backoffice.address import Address
from actions.common.forms import match_address

ADDRESSES = [Address(f"10000000020{n}", f"Flat {n}, Beech Court, High Street, Anytown, AN1 2BB",
                     f"Flat {n}, Beech Court, High Street", "AN1 2BB", "Central", "communal")
             for n in range(1, 7)]


@pytest.mark.parametrize("typed, uprn", [("flat 3", "100000000203"), ("3", "100000000203"),
                                         ("100000000206", "100000000206"), ("beech", None),
                                         ("flat 9", None)])
def test_match_address_by_number_name_or_uprn(typed, uprn):
    found = match_address(typed, ADDRESSES)
    assert (found.uprn if found else None) == uprn
