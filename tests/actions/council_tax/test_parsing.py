"""Residents' dates, payment days, household sizes and kinds of move."""

from __future__ import annotations

from datetime import date

import pytest

from actions.council_tax.parsing import (
    long_date,
    ordinal,
    parse_adults,
    parse_date,
    parse_move_kind,
    parse_payment_day,
)

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(("text", "expected"), [
    ("today", SUNDAY), ("tomorrow", date(2026, 11, 23)), ("next Friday", date(2026, 11, 27)),
    ("next sunday", date(2026, 11, 29)), ("last monday", date(2026, 11, 16)),
    ("the 3rd", date(2026, 12, 3)), ("on the 20th", date(2026, 11, 20)),
    ("3/12", date(2026, 12, 3)), ("3/12/2026", date(2026, 12, 3)), ("1/1/27", date(2027, 1, 1)),
    ("3rd December", date(2026, 12, 3)), ("December 3rd 2026", date(2026, 12, 3)),
    ("15 jan", date(2027, 1, 15)), ("2026-12-01", date(2026, 12, 1)),
])
def test_dates_as_residents_write_them(text, expected):
    assert parse_date(text, SUNDAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "31/02", "the 45th", "3/99", "whenever"])
def test_dates_that_are_not_dates(text):
    assert parse_date(text, SUNDAY) is None


@pytest.mark.parametrize(("text", "day"), [
    ("the 15th", 15), ("23rd please", 23), ("twenty third", 23), ("first", 1), ("8", 8),
    ("the 10th", 10), ("no idea", None)])
def test_payment_days(text, day):
    assert parse_payment_day(text) == day


@pytest.mark.parametrize(("text", "adults"), [
    ("just me", 1), ("I live alone", 1), ("2", 2), ("three of us", 3), ("lots", None)])
def test_adults(text, adults):
    assert parse_adults(text) == adults


@pytest.mark.parametrize(("text", "kind"), [
    ("moving out of Anytown", "out"), ("I'm leaving", "out"), ("moving within Anytown", "within"),
    ("to another house in anytown", "within"), ("moving into Anytown", "in"), ("dunno", None)])
def test_kinds_of_move(text, kind):
    assert parse_move_kind(text) == kind


def test_formatting():
    assert long_date(date(2026, 12, 1)) == "1 December 2026"
    assert [ordinal(d) for d in (1, 2, 3, 8, 11, 15, 22, 23)] == [
        "1st", "2nd", "3rd", "8th", "11th", "15th", "22nd", "23rd"]
