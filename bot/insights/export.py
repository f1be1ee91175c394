"""`councilbot insights export --weeks N`: an anonymised weekly open dataset.

Demand, containment and satisfaction per service per week, for the N full weeks (Monday to
Sunday, UK time) before the current one. Any count under 5 is published as "<5", and a rate
or average computed from such a count is left blank, so no small group can be picked out.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from bot.insights import catalogue as cat
from bot.insights import queries

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
COLUMNS = (
    ("week_commencing", "date", "Monday that starts the week (UK time)."),
    ("service", "text", "council_tax, waste, rough_sleeping or general: the most specific "
                        "service the conversation touched."),
    ("conversations", "count", "Chats residents started with the assistant."),
    ("messages", "count", "Messages residents sent in those chats."),
    ("journeys", "count", "Chats that started a journey (a look-up, report or account check)."),
    ("contained", "count", "Of those, chats that reached the journey's outcome with no "
                           "escalation to staff and fewer than two 'not understood' answers."),
    ("containment_rate", "proportion", "contained / journeys, 0 to 1; blank if either is "
                                       "suppressed."),
    ("ratings", "count", "End-of-chat ratings given (1 to 5)."),
    ("average_rating", "number", "Mean rating, 1 to 5; blank if ratings is suppressed."),
)


def suppress(count: int) -> int | str:
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


def weekly_rows(session: Session, today: date, weeks: int) -> list[dict]:
    """One row per week and service, small numbers suppressed."""
    if weeks < 1:
        raise ValueError("weeks: at least 1")
    this_week = queries.week_of(today)
    rows = []
    for back in range(weeks, 0, -1):
        start = this_week - timedelta(weeks=back)
        for service in cat.SERVICES:
            f = queries.Filters(start, start + timedelta(days=6), service)
            conv = list(session.execute(queries.conversations(f)))
            journeys = [r for r in conv if r.journeys]
            contained = sum(1 for r in journeys if queries.is_contained(r))
            sat = queries.satisfaction(session, f, conv)
            rows.append(_row(start, service, len(conv), sum(int(r.messages or 0) for r in conv),
                             len(journeys), contained, sat["ratings"], sat["average"]))
    return rows


def _row(week: date, service: str, conversations: int, messages: int, journeys: int,
         contained: int, ratings: int, average: float | None) -> dict:
    small = any(0 < n < SUPPRESS_BELOW for n in (journeys, contained))
    return {
        "week_commencing": week.isoformat(), "service": service,
        "conversations": suppress(conversations), "messages": suppress(messages),
        "journeys": suppress(journeys), "contained": suppress(contained),
        "containment_rate": None if small or not journeys else round(contained / journeys, 3),
        "ratings": suppress(ratings),
        "average_rating": None if ratings < SUPPRESS_BELOW else average,
    }


def write(out_dir: Path, rows: list[dict], generated: date, weeks: int) -> list[Path]:
    """insights_weekly.json, insights_weekly.csv and insights_dictionary.csv in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    dictionary = [{"column": c, "type": t, "meaning": m} for c, t, m in COLUMNS]
    paths = [out_dir / "insights_weekly.json", out_dir / "insights_weekly.csv",
             out_dir / "insights_dictionary.csv"]
    paths[0].write_text(json.dumps({
        "title": "Anytown Borough Council chat assistant: weekly service figures",
        "generated": generated.isoformat(), "weeks": weeks,
        "suppression": f"counts from 1 to {SUPPRESS_BELOW - 1} are shown as \"{SUPPRESSED}\"",
        "dictionary": dictionary, "rows": rows}, indent=2))
    with paths[1].open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c, _t, _m in COLUMNS])
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    with paths[2].open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["column", "type", "meaning"])
        writer.writeheader()
        writer.writerows(dictionary)
    return paths
