"""The gateway's idea of now: naive UTC in the database, UK local time for office hours."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock:
    """Real time unless pinned; tests pin it to a moment in or out of office hours."""

    def __init__(self, pinned_utc: datetime | None = None) -> None:
        self.pinned_utc = pinned_utc

    def now(self) -> datetime:
        if self.pinned_utc is not None:
            return self.pinned_utc
        return datetime.now(timezone.utc).replace(tzinfo=None)

    def local(self, moment: datetime | None = None) -> datetime:
        """UK wall-clock time (naive) of a naive-UTC moment, `now` by default."""
        moment = moment or self.now()
        return moment.replace(tzinfo=timezone.utc).astimezone(LONDON).replace(tzinfo=None)

    @staticmethod
    def to_utc(local: datetime) -> datetime:
        return local.replace(tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)
