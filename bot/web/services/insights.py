"""The insights page's filters (checked, with clear refusals) and its figures."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from bot.insights import catalogue as cat
from bot.insights import queries
from bot.web.errors import Problem
from bot.web.runtime import Runtime

DEFAULT_DAYS = 28
MAX_DAYS = 366


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Problem(422, "validation_error", f"{field}: a date such as 2026-11-30") from None


def filters(rt: Runtime, start: str = "", end: str = "", service: str = "",
            channel: str = "") -> queries.Filters:
    """From the page's query string: the last four weeks to today unless told otherwise."""
    today = rt.clock.local().date()
    last = _day(end, "end") or today
    first = _day(start, "start") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Problem(422, "validation_error", "start: must be on or before the end date")
    if (last - first).days >= MAX_DAYS:
        raise Problem(422, "validation_error", f"The date range can be up to {MAX_DAYS} days.")
    if service and service not in cat.SERVICES:
        raise Problem(422, "validation_error", f"service: one of {', '.join(cat.SERVICES)}")
    if channel and channel not in cat.CHANNELS:
        raise Problem(422, "validation_error", f"channel: one of {', '.join(cat.CHANNELS)}")
    return queries.Filters(first, last, service or None, channel or None)


def overview(rt: Runtime, f: queries.Filters) -> dict:
    with rt.transaction() as session:
        return queries.overview(session, f, rt.clock.now(),
                                rt.settings.insights_live_reply_target_minutes)


def query_dict(f: queries.Filters) -> dict:
    return {"start": f.start.isoformat(), "end": f.end.isoformat(),
            "service": f.service or "", "channel": f.channel or ""}


def query_string(f: queries.Filters) -> str:
    return urlencode(query_dict(f))
