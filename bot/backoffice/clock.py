"""The back office's idea of now (UK local time), which tests can pin through /_admin/clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock:
    def __init__(self, pinned: datetime | None = None) -> None:
        self.pinned = pinned

    def now(self) -> datetime:
        """Naive UK local time: the council's systems think in wall-clock time."""
        if self.pinned is not None:
            return self.pinned
        return datetime.now(LONDON).replace(tzinfo=None)

    def today(self) -> date:
        return self.now().date()
