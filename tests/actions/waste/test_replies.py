"""The bin journeys' words: charges read as residents expect."""

from __future__ import annotations

from actions.waste.replies import charge, could_not


def test_no_charge_is_free_and_a_charge_is_pounds_and_pence():
    assert charge(0) == "free"
    assert charge(2350) == "£23.50"
    assert charge(123456) == "£1,234.56"


def test_a_refusal_names_the_request_it_would_repeat():
    assert could_not("report it", "Already reported.", "MB-1") == \
        "Sorry, I couldn't report it: Already reported. (reference MB-1)"
    assert could_not("order it", "No.") == "Sorry, I couldn't order it: No."
