"""Working days as the back office counts them: weekends and England bank holidays skipped."""

from __future__ import annotations

from datetime import date

from bot.backoffice.services.working_days import (
    add_working_days,
    bank_holiday,
    is_working_day,
    next_working_day,
)


def test_working_days_skip_weekends_and_england_bank_holidays():
    assert add_working_days(date(2026, 11, 20), 10) == date(2026, 12, 4)
    assert add_working_days(date(2026, 4, 1), 2) == date(2026, 4, 7)  # Good Friday, Easter Mon
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_boxing_day_on_a_saturday_moves_the_holiday_to_monday():
    assert bank_holiday(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert not is_working_day(date(2026, 12, 28))
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_no_working_days_is_the_same_day():
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)
