"""Pure helpers of the bin journeys: bins, bulky items, container reasons, dates."""

from __future__ import annotations

from datetime import date

import pytest

from actions.waste.parsing import (
    asks_yes_or_no,
    bin_type_in,
    container_reason_in,
    damaged_by_crew,
    describe_items,
    parse_bulky_items,
    spoken_date,
)

NAMES = {"sofa": "sofa", "settee": "sofa", "chair": "chair", "chairs": "chair",
         "fridge freezer": "fridge", "fridge": "fridge", "bed frame": "bed frame",
         "bed": "bed frame", "mattress": "mattress", "paint": "paint"}


@pytest.mark.parametrize("text, items, unknown", [
    ("a sofa and two chairs", {"sofa": 1, "chair": 2}, []),
    ("I need an old settee, 3 chairs & a fridge freezer collected",
     {"sofa": 1, "chair": 3, "fridge": 1}, []),
    ("can you collect my mattress and bed", {"mattress": 1, "bed frame": 1}, []),
    ("2 sofas", {"sofa": 2}, []),
    ("a piano and a sofa", {"sofa": 1}, ["piano"]),
    ("a couple of chairs plus a chair", {"chair": 3}, []),
])
def test_parse_bulky_items_reads_quantities_and_aliases(text, items, unknown):
    assert parse_bulky_items(text, NAMES) == (items, unknown)


@pytest.mark.parametrize("text, bin_type", [
    ("the blue one", "recycling"), ("black bin", "general"), ("food caddy", "food"),
    ("brown", "garden"), ("recycling", "recycling"), ("rubbish", "general"), ("bin", None),
    ("blue and black", None), (None, None), ("can i get a second garden waste bin", "garden"),
    ("the bin for cans", "recycling"),
])
def test_bin_type_in_understands_residents_words(text, bin_type):
    assert bin_type_in(text) == bin_type


@pytest.mark.parametrize("text, yes_or_no", [
    ("is it recycling this week", True), ("Is my black bin going out tomorrow?", True),
    ("do i put the blue one out this week", True), ("so is it the brown bin", True),
    ("when is the next brown bin day", False), ("what day is recycling", False),
    ("next garden waste collection", False), ("", False), (None, False),
])
def test_asks_yes_or_no_only_for_questions_wanting_one(text, yes_or_no):
    assert asks_yes_or_no(text) is yes_or_no


@pytest.mark.parametrize("text, reason", [
    ("my bin was nicked", "stolen"), ("the lid snapped", "damaged"),
    ("can i have another one", "extra"), ("we've just moved in", "new"),
    ("it's gone missing", "replacement"), ("hello", None),
])
def test_container_reason_in(text, reason):
    assert container_reason_in(text) == reason


def test_damaged_by_crew_spots_the_bin_men():
    assert damaged_by_crew("the bin men dropped it in the lorry")
    assert not damaged_by_crew("the wind blew it over")


def test_describe_items_and_spoken_dates():
    assert describe_items({"sofa": 1, "chair": 2}) == "sofa and 2 x chair"
    assert spoken_date(date(2026, 12, 29)) == "Tuesday 29 December"
    assert spoken_date(date(2026, 12, 22), date(2026, 12, 21)).startswith("tomorrow")
