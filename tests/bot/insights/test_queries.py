"""Every figure on /staff/insights against counts worked out by hand on five conversations,
on SQLite and on PostgreSQL; the export's suppression; retention deletes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from bot.db import make_engine, make_session_factory, session_scope
from bot.insights import export, queries
from bot.insights.models import InsightEvent
from bot.insights.record import delete_conversations, delete_older_than, record
from bot.migrations import upgrade_to_head
from bot.settings import Settings

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SETTINGS = Settings(secret_key="test-secret-key")
TUESDAY = datetime(2026, 11, 24, 10, 0)  # in office hours (UTC = UK time in November)
EVENING = datetime(2026, 11, 24, 20, 0)
NOW = datetime(2026, 11, 30, 12, 0)
WEEK = queries.Filters(date(2026, 11, 23), date(2026, 11, 29))


def conversation(session, cid: str, start: datetime, *events) -> None:  # type: ignore[no-untyped-def]
    record(session, SETTINGS, start, "conversation_started", cid)
    for minute, (kind, fields) in enumerate(events, start=1):
        record(session, SETTINGS, start + timedelta(minutes=minute), kind, cid, **fields)


def e(kind: str, **fields) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return kind, fields


def seed(session) -> None:  # type: ignore[no-untyped-def]
    conversation(session, "a" * 32, TUESDAY,  # waste, contained, rated 5
                 e("message"), e("intent", service="waste", name="bin_day"),
                 e("journey_started", service="waste", name="bin_day_form"),
                 e("message"), e("journey_step", service="waste", name="bin_day_form",
                                 detail="postcode"),
                 e("journey_step", service="waste", name="bin_day_form", detail="uprn"),
                 e("journey_completed", service="waste", name="bin_day_form"),
                 e("rating", detail="bot", value=5))
    conversation(session, "b" * 32, TUESDAY,  # waste, a fallback loop, not helpful
                 e("message"), e("intent", service="waste", name="bin_missed"),
                 e("journey_started", service="waste", name="bin_missed_form"),
                 e("journey_step", service="waste", name="bin_missed_form", detail="postcode"),
                 e("fallback", service="waste"), e("fallback", service="waste"),
                 e("unhelpful"))
    conversation(session, "c" * 32, EVENING,  # council tax, escalated out of hours
                 e("message"), e("intent", service="council_tax", name="ct_balance"),
                 e("journey_started", service="council_tax", name="ct_verification_form"),
                 e("journey_step", service="council_tax", name="ct_verification_form",
                   detail="ct_account_number"),
                 e("escalated", service="council_tax", name="council_tax", detail="high",
                   value=0),
                 e("staff_first_reply", service="council_tax", detail="callback", value=300))
    conversation(session, "d" * 32, TUESDAY,  # general, escalated in hours
                 e("message"), e("intent", name="help"),
                 e("escalated", name="general", detail="normal", value=0),
                 e("staff_first_reply", detail="live", value=120),
                 e("resolved", detail="answered", value=600))
    conversation(session, "e" * 32, TUESDAY,  # rough sleeping: report sent, then staff
                 e("message"), e("intent", service="rough_sleeping", name="rough_sleeper_report"),
                 e("journey_started", service="rough_sleeping", name="rs_report_form"),
                 e("journey_completed", service="rough_sleeping", name="rs_report_form",
                   detail="Central"),
                 e("prevention_signal", service="rough_sleeping", name="homeless_self"),
                 e("escalated", service="rough_sleeping", name="rough_sleeping",
                   detail="urgent", value=1),
                 e("staff_first_reply", service="rough_sleeping", detail="live", value=900),
                 e("resolved", service="rough_sleeping", detail="referred", value=1200),
                 e("rating", detail="staff", value=2))
    # Outside the week: never counted.
    conversation(session, "f" * 32, TUESDAY - timedelta(days=7), e("message"))


@pytest.fixture(params=["sqlite://", pytest.param(POSTGRES, marks=pytest.mark.postgres)],
                ids=["sqlite", "postgresql"])
def session_factory(request) -> Iterator:  # type: ignore[no-untyped-def]
    url = request.param
    schema = None
    if url.startswith("postgresql"):
        try:
            admin = make_engine(url)
            schema = f"insights_{uuid.uuid4().hex[:10]}"
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
        url = f"{url}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        seed(session)
    yield factory
    engine.dispose()
    if schema:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_every_figure_matches_the_hand_count(session_factory):
    with session_scope(session_factory) as session:
        o = queries.overview(session, WEEK, NOW, live_target_minutes=10)
    demand = o["demand"]
    assert demand["conversations"] == 5 and demand["messages"] == 6
    assert demand["office_hours"] == {"in": 4, "out": 1}
    tuesday = next(d for d in demand["days"] if d["day"] == "2026-11-24")
    assert (tuesday["waste"], tuesday["council_tax"], tuesday["rough_sleeping"],
            tuesday["general"]) == (2, 1, 1, 1)
    assert demand["hour_of_week"][24 + 10] == 4 and demand["hour_of_week"][24 + 20] == 1

    services = {s["service"]: (s["contained"], s["journeys"]) for s in o["containment"]["services"]}
    assert services == {"waste": (1, 2), "council_tax": (0, 1), "rough_sleeping": (0, 1)}
    assert o["containment"]["weeks"] == [
        {"week": "2026-11-23", "contained": 1, "journeys": 4, "rate": 0.25}]
    journeys = {j["journey"]: (j["contained"], j["journeys"]) for j in o["containment"]["journeys"]}
    assert journeys == {"bin_day_form": (1, 1), "bin_missed_form": (0, 1),
                        "ct_verification_form": (0, 1), "rs_report_form": (0, 1)}

    funnels = {f["journey"]: f for f in o["funnels"]}
    assert funnels["bin_day_form"]["steps"] == [{"step": "postcode", "reached": 1},
                                                {"step": "uprn", "reached": 1}]
    assert (funnels["bin_missed_form"]["started"], funnels["bin_missed_form"]["completed"],
            funnels["bin_missed_form"]["abandoned"]) == (1, 0, 1)
    assert funnels["rs_report_form"]["completed"] == 1

    assert o["understanding"] == {"intent": 5, "fallback": 2, "unhelpful": 1,
                                  "fallback_rate": 0.4, "unhelpful_rate": 0.2}

    staff = o["staff"]
    assert staff["escalations"] == 3 and staff["safeguarding"] == 1
    assert {t["topic"]: (t["normal"], t["high"], t["urgent"]) for t in staff["topics"]} == {
        "council_tax": (0, 1, 0), "general": (1, 0, 0), "rough_sleeping": (0, 0, 1)}
    # Office hours only: the evening escalation's 300 s reply is left out.
    assert staff["first_reply"] == {"count": 2, "median_seconds": 510, "p90_seconds": 900}
    assert staff["live_breaches"] == 1  # 900 s against a 10 minute target
    assert staff["handling"] == {"count": 2, "median_seconds": 900, "p90_seconds": 1200}

    sat = o["satisfaction"]
    assert sat["ratings"] == 2 and sat["average"] == 3.5 and sat["distribution"] == [0, 1, 0, 0, 1]
    assert {b["by"]: b["average"] for b in sat["by"]} == {"bot": 5, "staff": 2}

    assert o["rough_sleeping"] == {
        "reports": [{"week": "2026-11-23", "ward": "Central", "reports": 1}],
        "signals": [{"week": "2026-11-23", "signal": "homeless_self", "count": 1}]}


def test_the_service_filter_keeps_that_service_only(session_factory):
    with session_scope(session_factory) as session:
        o = queries.overview(session, queries.Filters(WEEK.start, WEEK.end, "waste"), NOW, 10)
    assert o["demand"]["conversations"] == 2
    assert [s["service"] for s in o["containment"]["services"]] == ["waste"]
    assert o["staff"]["escalations"] == 0


def test_export_suppresses_counts_under_five_and_rates_made_from_them(tmp_path):
    engine = make_engine("sqlite://")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        seed(session)
        for i in range(6):  # six more contained waste journeys: 7 of 8 in all
            conversation(session, f"{i:032d}", TUESDAY,
                         e("journey_started", service="waste", name="bin_day_form"),
                         e("journey_completed", service="waste", name="bin_day_form"))
        rows = export.weekly_rows(session, date(2026, 12, 2), weeks=1)
    by_service = {r["service"]: r for r in rows}
    assert by_service["waste"]["conversations"] == 8 and by_service["waste"]["journeys"] == 8
    assert by_service["waste"]["contained"] == 7
    assert by_service["waste"]["containment_rate"] == 0.875
    assert by_service["council_tax"]["conversations"] == "<5"
    assert by_service["council_tax"]["containment_rate"] is None
    assert by_service["waste"]["ratings"] == "<5" and by_service["waste"]["average_rating"] is None
    assert by_service["general"]["journeys"] == 0  # nothing to hide in a zero
    paths = export.write(tmp_path, rows, date(2026, 12, 2), 1)
    csv_text = paths[1].read_text()
    assert "2026-11-23,council_tax,<5," in csv_text
    assert "containment_rate" in paths[2].read_text()


def test_retention_and_conversation_deletes(session_factory):
    with session_scope(session_factory) as session:
        assert delete_conversations(session, ["a" * 32]) == 9
        assert delete_older_than(session, NOW, days=7) == 2  # conversation f, a week earlier
        left = session.scalar(select(func.count()).select_from(InsightEvent))
    assert left == 42 - 9 - 2
