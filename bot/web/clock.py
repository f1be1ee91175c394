"""The gateway's idea of now: naive UTC in the database, UK local time for office hours."""

from __future__ import annotations

from bot.http.clock import UtcClock as Clock

__all__ = ["Clock"]
