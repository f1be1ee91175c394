"""When staff can chat live, and when a resident who asked for a person will hear back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from bot.settings import Settings

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=4)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def _hours(settings: Settings) -> tuple[time, time]:
    start, end = settings.office_hours.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def is_working_day(settings: Settings, day: date) -> bool:
    days = {d.strip().lower()[:3] for d in settings.office_days.split(",")}
    return DAY_NAMES[day.weekday()] in days and day not in _bank_holidays(day.year)


def is_open(settings: Settings, local: datetime) -> bool:
    start, end = _hours(settings)
    return is_working_day(settings, local.date()) and start <= local.time() < end


def next_working_day(settings: Settings, after: date) -> date:
    day = after + timedelta(days=1)
    while not is_working_day(settings, day):
        day += timedelta(days=1)
    return day


def callback_due(settings: Settings, local: datetime) -> datetime:
    """End of the next working day: the promise made to a resident outside office hours."""
    _start, end = _hours(settings)
    return datetime.combine(next_working_day(settings, local.date()), end)


def describe_hours(settings: Settings) -> str:
    start, end = _hours(settings)
    days = [d.strip().lower()[:3] for d in settings.office_days.split(",")]
    span = f"{days[0].title()} to {days[-1].title()}" if len(days) > 1 else days[0].title()
    return f"{span}, {_clock_text(start)} to {_clock_text(end)}"


def describe_moment(local: datetime) -> str:
    return f"{_clock_text(local.time())} on {local:%A} {local.day} {local:%B}"


def _clock_text(moment: time) -> str:
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"
