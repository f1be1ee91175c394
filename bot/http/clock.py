"""Both apps' idea of now: a clock tests can pin, and UK local time against UTC.

The gateway stores naive UTC (`UtcClock`) and converts to UK time for office hours; the
council's systems think in naive UK wall-clock time (`LondonClock`).
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def as_london(moment: datetime) -> datetime:
    """Naive UK wall-clock time of an aware moment."""
    return moment.astimezone(LONDON).replace(tzinfo=None)


def utc_to_london(moment: datetime) -> datetime:
    """Naive UK wall-clock time of a naive-UTC moment."""
    return as_london(moment.replace(tzinfo=timezone.utc))


def london_to_utc(local: datetime) -> datetime:
    """Naive UTC of a naive UK wall-clock time."""
    return local.replace(tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)


class Clock:
    """Naive wall-clock time in `zone`: real unless pinned (tests pin it to a chosen moment)."""

    zone: tzinfo = timezone.utc

    def __init__(self, pinned: datetime | None = None) -> None:
        self.pinned = pinned

    def now(self) -> datetime:
        if self.pinned is not None:
            return self.pinned
        return datetime.now(self.zone).replace(tzinfo=None)

    def today(self) -> date:
        return self.now().date()


class UtcClock(Clock):
    """Naive UTC, as the gateway's database keeps it, with UK time for office hours."""

    zone = timezone.utc

    def local(self, moment: datetime | None = None) -> datetime:
        """UK wall-clock time (naive) of a naive-UTC moment, `now` by default."""
        return utc_to_london(moment or self.now())

    @staticmethod
    def to_utc(local: datetime) -> datetime:
        return london_to_utc(local)


class LondonClock(Clock):
    """Naive UK local time: the council's systems think in wall-clock time."""

    zone = LONDON
