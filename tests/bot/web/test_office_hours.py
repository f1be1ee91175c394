"""Office hours, bank holidays and the call-back promise."""

from datetime import datetime

from bot.settings import Settings
from bot.web.services import office_hours

SETTINGS = Settings()


def test_open_on_a_weekday_in_hours_only():
    assert office_hours.is_open(SETTINGS, datetime(2026, 12, 1, 9, 0))
    assert not office_hours.is_open(SETTINGS, datetime(2026, 12, 1, 17, 0))
    assert not office_hours.is_open(SETTINGS, datetime(2026, 12, 5, 11, 0))  # Saturday


def test_closed_on_england_bank_holidays():
    assert not office_hours.is_open(SETTINGS, datetime(2026, 12, 25, 11, 0))
    assert not office_hours.is_open(SETTINGS, datetime(2026, 12, 28, 11, 0))


def test_call_back_due_by_end_of_next_working_day_skipping_holidays():
    due = office_hours.callback_due(SETTINGS, datetime(2026, 12, 24, 18, 0))
    assert due == datetime(2026, 12, 29, 17, 0)
    assert office_hours.describe_moment(due) == "5pm on Tuesday 29 December"
