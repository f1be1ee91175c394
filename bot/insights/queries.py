"""The figures on /staff/insights and in the open data export, read from the event table.

Every query is plain grouping (no date functions), so it runs the same on SQLite and
PostgreSQL; weeks are rolled up from days in Python. Definitions are in docs/insights.md.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.insights import catalogue as cat
from bot.insights.models import InsightEvent as E
from bot.insights.models import RatingComment
from bot.web.models import Escalation

RANK_TO_SERVICE = {rank: service for service, rank in cat.SERVICE_RANK.items()}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    service: str | None = None
    channel: str | None = None


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def _flag(condition) -> object:  # type: ignore[no-untyped-def]
    return func.sum(case((condition, 1), else_=0))


def _in_range(f: Filters) -> list:
    where = [E.local_day >= f.start, E.local_day <= f.end, E.conversation_id.is_not(None)]
    if f.channel:
        where.append(E.channel == f.channel)
    return where


def conversations(f: Filters) -> Select:
    """One row per conversation with events in the range: its day, service and flags."""
    rank = case(*((E.service == s, r) for s, r in cat.SERVICE_RANK.items()), else_=0)
    started = E.kind == "conversation_started"
    query = (
        select(
            E.conversation_id.label("conversation_id"),
            func.min(E.local_day).label("day"),
            func.max(rank).label("service_rank"),
            func.min(case((started, E.hour_of_week))).label("hour_of_week"),
            func.max(case((and_(started, E.in_hours.is_(True)), 1), else_=0)).label("in_hours"),
            _flag(E.kind == "message").label("messages"),
            _flag(E.kind == "journey_started").label("journeys"),
            _flag(E.kind == "journey_completed").label("completed"),
            _flag(E.kind == "escalated").label("escalated"),
            _flag(E.kind == "fallback").label("fallbacks"),
            _flag(E.kind == "intent").label("intents"),
            _flag(E.kind == "unhelpful").label("unhelpful"),
        )
        .where(*_in_range(f))
        .group_by(E.conversation_id)
    )
    sub = query.subquery("conv")
    outer = select(sub)
    if f.service:
        outer = outer.where(sub.c.service_rank == cat.SERVICE_RANK[f.service])
    return outer


def is_contained(row) -> bool:  # type: ignore[no-untyped-def]
    """Reached a journey's outcome, no escalation, no fallback loop (docs/insights.md)."""
    return (row.completed > 0 and row.escalated == 0
            and row.fallbacks < cat.FALLBACK_LOOP)


def _rows(session: Session, f: Filters) -> list:
    return list(session.execute(conversations(f)))


def demand(session: Session, f: Filters, rows: list | None = None) -> dict:
    """Conversations and messages per day and per hour of the week, by service and hours."""
    rows = _rows(session, f) if rows is None else rows
    by_day: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    by_hour: dict[int, int] = defaultdict(int)
    hours = {"in": 0, "out": 0}
    for row in rows:
        service = RANK_TO_SERVICE[row.service_rank]
        cell = by_day[(row.day, service)]
        cell[0] += 1
        cell[1] += int(row.messages or 0)
        if row.hour_of_week is not None:
            by_hour[int(row.hour_of_week)] += 1
        hours["in" if row.in_hours else "out"] += 1
    days = [f.start + timedelta(days=i) for i in range((f.end - f.start).days + 1)]
    return {
        "days": [{"day": d.isoformat(), **{s: by_day[(d, s)][0] for s in cat.SERVICES},
                  "messages": sum(by_day[(d, s)][1] for s in cat.SERVICES)} for d in days],
        "hour_of_week": [by_hour[h] for h in range(168)],
        "office_hours": hours,
        "conversations": len(rows),
        "messages": sum(int(r.messages or 0) for r in rows),
    }


def containment(session: Session, f: Filters, rows: list | None = None) -> dict:
    """Of conversations that started a journey: how many reached its outcome without staff."""
    rows = _rows(session, f) if rows is None else rows
    per_service: dict[str, list[int]] = {s: [0, 0] for s in cat.SERVICES}
    per_week: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if not row.journeys:
            continue
        service = RANK_TO_SERVICE[row.service_rank]
        contained = is_contained(row)
        per_service[service][0] += contained
        per_service[service][1] += 1
        week = per_week[week_of(row.day)]
        week[0] += contained
        week[1] += 1
    return {
        "services": [{"service": s, "contained": c, "journeys": n, "rate": _rate(c, n)}
                     for s, (c, n) in per_service.items()
                     if n or (f.service is None and s != "general")],
        "weeks": [{"week": w.isoformat(), "contained": c, "journeys": n, "rate": _rate(c, n)}
                  for w, (c, n) in sorted(per_week.items())],
        "journeys": _journey_containment(session, f, rows),
    }


def _journey_containment(session: Session, f: Filters, rows: list) -> list[dict]:
    by_id = {r.conversation_id: r for r in rows}
    query = select(E.conversation_id, E.name, E.kind).where(
        *_in_range(f), E.kind.in_(("journey_started", "journey_completed")))
    journeys: dict[tuple[str, str], bool] = {}
    for conversation_id, name, kind in session.execute(query):
        if conversation_id in by_id and name in cat.JOURNEYS:
            key = (conversation_id, name)
            journeys[key] = journeys.get(key, False) or kind == "journey_completed"
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (conversation_id, name), completed in journeys.items():
        row = by_id[conversation_id]
        totals[name][0] += completed and row.escalated == 0 and row.fallbacks < cat.FALLBACK_LOOP
        totals[name][1] += 1
    return [{"journey": name, "label": cat.JOURNEY_LABELS[name], "journeys": n,
             "contained": c, "rate": _rate(c, n)} for name, (c, n) in sorted(totals.items())]


def funnels(session: Session, f: Filters) -> list[dict]:
    """Per journey: conversations that started it, reached each step, and completed it."""
    where = [*_in_range(f), E.kind.in_(("journey_started", "journey_step", "journey_completed"))]
    if f.service:
        where.append(E.service == f.service)
    query = (select(E.name, E.kind, E.detail, func.count(func.distinct(E.conversation_id)))
             .where(*where).group_by(E.name, E.kind, E.detail))
    found: dict[str, dict] = defaultdict(lambda: {"started": 0, "steps": {}, "completed": 0})
    for name, kind, detail, count in session.execute(query):
        if kind == "journey_step":
            found[name]["steps"][detail] = count
        else:
            found[name][kind.removeprefix("journey_")] += count  # summed over wards
    result = []
    for name in sorted(found):
        if name not in cat.JOURNEYS:
            continue
        data = found[name]
        steps = sorted(data["steps"].items(), key=lambda kv: -kv[1])
        result.append({"journey": name, "label": cat.JOURNEY_LABELS[name],
                       "started": data["started"], "completed": data["completed"],
                       "steps": [{"step": s, "reached": n} for s, n in steps],
                       "abandoned": max(data["started"] - data["completed"], 0)})
    return result


def understanding(session: Session, f: Filters, rows: list | None = None) -> dict:
    """Fallbacks per recognised message, and "Not helpful" presses per recognised message."""
    rows = _rows(session, f) if rows is None else rows
    counts = {"intent": sum(int(r.intents or 0) for r in rows),
              "fallback": sum(int(r.fallbacks or 0) for r in rows),
              "unhelpful": sum(int(r.unhelpful or 0) for r in rows)}
    return {**counts, "fallback_rate": _rate(counts["fallback"], counts["intent"]),
            "unhelpful_rate": _rate(counts["unhelpful"], counts["intent"])}


def staff(session: Session, f: Filters, now: datetime, live_target_minutes: int,
          rows: list | None = None) -> dict:
    """Escalations by topic and priority, waits for a first staff reply, handling, call-backs."""
    rows = _rows(session, f) if rows is None else rows
    ids = {r.conversation_id for r in rows}
    query = select(E.conversation_id, E.kind, E.name, E.detail, E.value, E.in_hours).where(
        *_in_range(f), E.kind.in_(("escalated", "staff_first_reply", "resolved")))
    topics: dict[str, dict] = defaultdict(lambda: dict.fromkeys(("normal", "high", "urgent"), 0))
    safeguarding = 0
    opened_in_hours: set[str] = set()
    replies: list[tuple[str, int, str]] = []
    handling: list[int] = []
    for conversation_id, kind, name, detail, value, in_hours in session.execute(query):
        if conversation_id not in ids:
            continue
        if kind == "escalated":
            priority = detail if detail in ("normal", "high", "urgent") else "normal"
            topics[name or "general"][priority] += 1
            safeguarding += int(value or 0)
            if in_hours:
                opened_in_hours.add(conversation_id)
        elif kind == "staff_first_reply":
            replies.append((conversation_id, int(value or 0), detail or ""))
        else:
            handling.append(int(value or 0))
    in_hours_waits = [v for cid, v, _kind in replies if cid in opened_in_hours]
    live_waits = [v for cid, v, kind in replies if cid in opened_in_hours and kind == "live"]
    target = live_target_minutes * 60
    return {
        "topics": [{"topic": t, **p, "total": sum(p.values())} for t, p in sorted(topics.items())],
        "escalations": sum(sum(p.values()) for p in topics.values()),
        "safeguarding": safeguarding,
        "first_reply": {"count": len(in_hours_waits), "median_seconds": _median(in_hours_waits),
                        "p90_seconds": _p90(in_hours_waits)},
        "live_reply_target_minutes": live_target_minutes,
        "live_breaches": sum(1 for w in live_waits if w > target),
        "handling": {"count": len(handling), "median_seconds": _median(handling),
                     "p90_seconds": _p90(handling)},
        "callbacks": callbacks(session, now),
    }


def callbacks(session: Session, now: datetime) -> dict:
    """Open call-back tasks now (not limited to the date range): due, and overdue."""
    open_callbacks = select(Escalation.callback_due).where(
        Escalation.kind == "callback", Escalation.status.in_(("waiting", "claimed")))
    dues = [d for (d,) in session.execute(open_callbacks)]
    return {"open": len(dues), "overdue": sum(1 for d in dues if d is not None and d < now)}


def satisfaction(session: Session, f: Filters, rows: list | None = None) -> dict:
    """Ratings (1 to 5) by service and by who resolved the chat."""
    rows = _rows(session, f) if rows is None else rows
    service_of = {r.conversation_id: RANK_TO_SERVICE[r.service_rank] for r in rows}
    query = select(E.conversation_id, E.detail, E.value).where(*_in_range(f),
                                                               E.kind == "rating")
    scores: dict[str, list[int]] = defaultdict(list)
    by: dict[str, list[int]] = defaultdict(list)
    distribution = [0] * 5
    for conversation_id, resolver, value in session.execute(query):
        if conversation_id not in service_of or not value or not 1 <= value <= 5:
            continue
        scores[service_of[conversation_id]].append(value)
        by[resolver or "bot"].append(value)
        distribution[value - 1] += 1
    return {
        "ratings": sum(distribution), "distribution": distribution,
        "average": _mean([v for vs in scores.values() for v in vs]),
        "services": [{"service": s, "ratings": len(scores[s]), "average": _mean(scores[s])}
                     for s in cat.SERVICES],
        "by": [{"by": k, "ratings": len(v), "average": _mean(v)} for k, v in sorted(by.items())],
    }


def rough_sleeping(session: Session, f: Filters) -> dict:
    """Rough sleeping reports per ward per week, and prevention signals per week: counts only."""
    reports = (select(E.local_day, E.detail, func.count())
               .where(*_in_range(f), E.kind == "journey_completed",
                      E.name == "rs_report_form")
               .group_by(E.local_day, E.detail))
    per_ward: dict[tuple[date, str], int] = defaultdict(int)
    for day, ward, count in session.execute(reports):
        per_ward[(week_of(day), ward or "Unknown")] += count
    signals = (select(E.local_day, E.name, func.count())
               .where(*_in_range(f), E.kind == "prevention_signal")
               .group_by(E.local_day, E.name))
    per_signal: dict[tuple[date, str], int] = defaultdict(int)
    for day, name, count in session.execute(signals):
        per_signal[(week_of(day), name or "other")] += count
    return {
        "reports": [{"week": w.isoformat(), "ward": ward, "reports": n}
                    for (w, ward), n in sorted(per_ward.items())],
        "signals": [{"week": w.isoformat(), "signal": s, "count": n}
                    for (w, s), n in sorted(per_signal.items())],
    }


def comments(session: Session, f: Filters, limit: int = 20) -> list[dict]:
    """The latest rating comments in the range (already redacted when stored)."""
    start = datetime.combine(f.start, datetime.min.time()) - timedelta(days=1)
    end = datetime.combine(f.end, datetime.min.time()) + timedelta(days=2)
    query = (select(RatingComment).where(RatingComment.at >= start, RatingComment.at < end)
             .order_by(RatingComment.at.desc()).limit(limit))
    return [{"at": c.at.isoformat() + "Z", "score": c.score, "text": c.text}
            for c in session.scalars(query)]


def overview(session: Session, f: Filters, now: datetime, live_target_minutes: int) -> dict:
    """Everything the page shows, reading the per-conversation rows once."""
    rows = _rows(session, f)
    return {
        "demand": demand(session, f, rows),
        "containment": containment(session, f, rows),
        "funnels": funnels(session, f),
        "understanding": understanding(session, f, rows),
        "staff": staff(session, f, now, live_target_minutes, rows),
        "satisfaction": satisfaction(session, f, rows),
        "rough_sleeping": rough_sleeping(session, f),
        "comments": comments(session, f),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _median(values: list[int]) -> int | None:
    return int(statistics.median(values)) if values else None


def _p90(values: list[int]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    # Nearest rank: the smallest value with at least 90% of values at or below it.
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


__all__ = ["Filters", "conversations", "is_contained", "overview", "week_of"]
