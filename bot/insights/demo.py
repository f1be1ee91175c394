"""`councilbot insights demo`: a few realistic months of events, for development only.

Seeded from a fixed random seed, so the same command gives the same figures; dates end today.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.http.clock import london_to_utc
from bot.insights.models import InsightEvent
from bot.insights.record import event_fields
from bot.settings import Settings

# service, weight, journeys (journey, its steps in order), intents
SERVICES = (
    ("waste", 45, (("bin_day_form", ("postcode", "uprn")),
                   ("bin_missed_form", ("postcode", "uprn", "bin_service", "bin_confirm")),
                   ("bin_bulky_form", ("bin_bulky_items", "postcode", "uprn", "bin_slot",
                                       "bin_confirm"))),
     ("bin_day", "bin_missed", "bin_bulky", "faq/bins_put_out_time")),
    ("council_tax", 30, (("ct_verification_form", ("ct_account_number", "ct_surname",
                                                    "ct_postcode")),),
     ("ct_balance", "ct_pay", "ct_cannot_pay", "faq/council_tax_reduction")),
    ("rough_sleeping", 6, (("rs_report_form", ("rs_in_danger", "rs_location", "rs_seen_time",
                                               "rs_person_description", "rs_confirmed")),),
     ("rough_sleeper_report", "homeless_self")),
    ("general", 19, (), ("greet", "help", "faq/contact_us", "nlu_fallback")),
)
WARDS = ("Central", "Northfield")
OUTCOMES = ("answered", "called_back", "referred", "no_response")


def has_events(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(InsightEvent)))


def seed(session: Session, settings: Settings, now: datetime, weeks: int = 12,
         per_day: int = 40, seed: int = 23) -> int:
    """Write `weeks` of demo conversations' events ending at `now`; returns how many events."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for day_back in range(weeks * 7, -1, -1):
        day = (now - timedelta(days=day_back)).date()
        weekend = day.weekday() >= 5
        for _ in range(rng.randint(per_day // 2, per_day) // (2 if weekend else 1)):
            hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 9,
                                                   9, 9, 9, 8, 8, 7, 7, 6, 5, 4, 3, 2])[0]
            start = london_to_utc(datetime.combine(day, time(hour, rng.randint(0, 59))))
            if start <= now:
                rows.extend(_conversation(rng, settings, start))
    for chunk in range(0, len(rows), 5000):
        session.execute(insert(InsightEvent), rows[chunk:chunk + 5000])
    return len(rows)


def _conversation(rng: random.Random, settings: Settings, start: datetime) -> list[dict]:
    cid = secrets.token_hex(16)
    service, _w, journeys, intents = rng.choices(SERVICES, weights=[s[1] for s in SERVICES])[0]
    at = start
    rows = [event_fields(settings, at, "conversation_started", cid)]

    def add(kind: str, **fields) -> None:  # type: ignore[no-untyped-def]
        nonlocal at
        at += timedelta(seconds=rng.randint(5, 60))
        rows.append(event_fields(settings, at, kind, cid, **fields))

    for _ in range(rng.randint(1, 3)):
        add("message", service=service)
        intent = rng.choice(intents)
        add("intent", service=service, name=intent)
        if intent == "nlu_fallback" or rng.random() < 0.06:
            add("fallback", service=service, name=intent)
    escalate = rng.random() < 0.1
    if journeys and rng.random() < 0.8:
        journey, steps = rng.choice(journeys)
        add("journey_started", service=service, name=journey)
        reached = len(steps) if rng.random() < 0.78 else rng.randint(1, len(steps) - 1)
        for step in steps[:reached]:
            add("message", service=service)
            add("journey_step", service=service, name=journey, detail=step)
        if reached == len(steps):
            ward = rng.choice(WARDS) if journey == "rs_report_form" else None
            add("journey_completed", service=service, name=journey, detail=ward)
        else:
            escalate = escalate or rng.random() < 0.3
    if service == "rough_sleeping" and rng.random() < 0.3:
        add("prevention_signal", service=service, name="homeless_self")
    if service == "council_tax" and rng.random() < 0.04:
        add("prevention_signal", service=service, name="arrears_eviction")
    if rng.random() < 0.05:
        add("unhelpful", service=service)
    by = "bot"
    if escalate:
        by = "staff"
        safeguarding = service == "rough_sleeping" and rng.random() < 0.4
        priority = "urgent" if safeguarding else rng.choice(("normal", "normal", "high"))
        add("escalated", service=service, name=service, detail=priority,
            value=int(safeguarding))
        opened = at
        in_hours = rows[-1]["in_hours"]
        wait = int(rng.lognormvariate(5.3, 0.7)) if in_hours else rng.randint(3600, 60000)
        at = opened + timedelta(seconds=wait)
        rows.append(event_fields(settings, at, "staff_first_reply", cid, service=service,
                                 detail="live" if in_hours else "callback", value=wait))
        handling = rng.randint(240, 1800)
        at += timedelta(seconds=handling)
        rows.append(event_fields(settings, at, "resolved", cid, service=service,
                                 detail=rng.choice(OUTCOMES), value=handling))
    if rng.random() < 0.3:
        score = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 5, 6) if by == "bot"
                            else (1, 1, 2, 4, 6))[0]
        add("rating", service=service, detail=by, value=score)
    return rows
