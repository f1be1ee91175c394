"""England bank holidays and working days, as every back-office system counts them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.UK(subdiv="ENG")


def bank_holiday(day: date) -> str | None:
    """The name of the England and Wales bank holiday on `day`, if any."""
    return _bank_holidays().get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day`, skipping weekends and bank holidays."""
    for _ in range(count):
        day = next_working_day(day)
    return day
