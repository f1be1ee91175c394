"""Pinned clocks and UK time against UTC, as both apps see them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.http.clock import LondonClock, UtcClock, as_london, london_to_utc, utc_to_london

SUMMER_NOON_UTC = datetime(2026, 7, 1, 12, 0)
WINTER_NOON_UTC = datetime(2026, 12, 1, 12, 0)


def test_a_pinned_clock_stays_where_it_was_pinned():
    clock = LondonClock(datetime(2026, 12, 1, 23, 30))
    assert clock.now() == datetime(2026, 12, 1, 23, 30)
    assert clock.today() == date(2026, 12, 1)


def test_an_unpinned_clock_gives_naive_wall_clock_time_in_its_zone():
    utc_now = UtcClock().now()
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    assert utc_now.tzinfo is None and abs(real - utc_now) < timedelta(seconds=5)
    london_now = LondonClock().now()
    assert abs(utc_to_london(real) - london_now) < timedelta(seconds=5)


def test_uk_time_is_an_hour_ahead_of_utc_in_summer_only():
    assert utc_to_london(SUMMER_NOON_UTC) == datetime(2026, 7, 1, 13, 0)
    assert utc_to_london(WINTER_NOON_UTC) == WINTER_NOON_UTC
    assert london_to_utc(datetime(2026, 7, 1, 13, 0)) == SUMMER_NOON_UTC


def test_the_gateway_clock_converts_its_now_to_uk_time():
    clock = UtcClock(SUMMER_NOON_UTC)
    assert clock.local() == datetime(2026, 7, 1, 13, 0)
    assert clock.to_utc(clock.local()) == SUMMER_NOON_UTC


def test_an_aware_moment_becomes_naive_uk_time():
    assert as_london(datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)) == datetime(2026, 7, 1, 13)
