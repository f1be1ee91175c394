"""The charts and headline figures of /staff/insights, built from `queries.overview`."""

from __future__ import annotations

from bot.insights import catalogue as cat
from bot.insights.charts import Chart, bars, columns, heatmap

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PRIORITIES = ("normal", "high", "urgent")


def minutes(seconds: int | None) -> str:
    return "no data" if seconds is None else f"{seconds / 60:.1f} min"


def percent(rate: float | None) -> str:
    return "no data" if rate is None else f"{rate:.0%}"


def headlines(o: dict) -> list[tuple[str, str]]:
    contained = sum(s["contained"] for s in o["containment"]["services"])
    journeys = sum(s["journeys"] for s in o["containment"]["services"])
    staff = o["staff"]
    average = o["satisfaction"]["average"]
    return [
        ("Conversations", f"{o['demand']['conversations']:,}"),
        ("Resolved without staff", f"{contained:,} of {journeys:,} journeys"
                                   f" ({percent(contained / journeys if journeys else None)})"),
        ("Median wait for staff (office hours)", minutes(staff["first_reply"]["median_seconds"])),
        ("Live chats over the reply target", f"{staff['live_breaches']:,}"),
        ("Call-backs open / overdue now",
         f"{staff['callbacks']['open']:,} / {staff['callbacks']['overdue']:,}"),
        ("Safeguarding escalations", f"{staff['safeguarding']:,}"),
        ("Average rating", "no ratings" if average is None else f"{average:.1f} out of 5"),
    ]


def charts(o: dict) -> list[Chart]:
    result = [*_demand(o["demand"]), *_containment(o["containment"]), *_funnels(o["funnels"]),
              _understanding(o["understanding"]), *_staff(o["staff"]),
              *_satisfaction(o["satisfaction"]), *_rough_sleeping(o["rough_sleeping"])]
    return result


def _label(service: str) -> str:
    return cat.SERVICE_LABELS.get(service, service.replace("_", " ").capitalize())


def _demand(d: dict) -> list[Chart]:
    days = d["days"]
    busiest = max(days, key=lambda r: sum(r[s] for s in cat.SERVICES), default=None)
    per_day = Chart(
        "demand-days", "Conversations per day, by service",
        f"{d['conversations']:,} conversations and {d['messages']:,} resident messages"
        + (f"; busiest day {busiest['day']}." if busiest else "."),
        ["day", *cat.SERVICES, "messages"],
        [[r["day"], *(r[s] for s in cat.SERVICES), r["messages"]] for r in days])
    columns(per_day, [r["day"][5:] for r in days],
            {_label(s): [r[s] for r in days] for s in cat.SERVICES},
            label_every=max(1, len(days) // 10))
    grid = [d["hour_of_week"][day * 24:(day + 1) * 24] for day in range(7)]
    peak = max(range(168), key=lambda h: d["hour_of_week"][h])
    hours = Chart(
        "demand-hours", "Conversations by hour of the week (UK time)",
        f"Busiest hour: {DAYS[peak // 24]} {peak % 24:02d}:00.",
        ["day", *(f"{h:02d}:00" for h in range(24))],
        [[DAYS[i], *grid[i]] for i in range(7)])
    heatmap(hours, grid, list(DAYS))
    office = d["office_hours"]
    total = office["in"] + office["out"]
    split = Chart(
        "demand-office-hours", "Conversations in and out of office hours",
        f"{office['out']:,} of {total:,} conversations started outside office hours.",
        ["when", "conversations"],
        [["in office hours", office["in"]], ["out of office hours", office["out"]]])
    bars(split, ["In office hours", "Out of office hours"], [office["in"], office["out"]])
    return [per_day, hours, split]


def _containment(c: dict) -> list[Chart]:
    services = c["services"]
    by_service = Chart(
        "containment-services", "Resolved without staff, by service",
        "; ".join(f"{_label(s['service'])} {percent(s['rate'])}" for s in services) or "No data.",
        ["service", "contained", "journeys", "rate"],
        [[s["service"], s["contained"], s["journeys"], s["rate"]] for s in services])
    bars(by_service, [_label(s["service"]) for s in services], [s["rate"] for s in services],
         percent=True, notes=[f"({s['contained']:,} of {s['journeys']:,})" for s in services])
    weeks = c["weeks"]
    trend = Chart(
        "containment-weeks", "Resolved without staff, week by week",
        "; ".join(f"w/c {w['week']} {percent(w['rate'])}" for w in weeks[-4:]) or "No data.",
        ["week_commencing", "contained", "journeys", "rate"],
        [[w["week"], w["contained"], w["journeys"], w["rate"]] for w in weeks])
    bars(trend, [f"w/c {w['week']}" for w in weeks], [w["rate"] for w in weeks], percent=True,
         notes=[f"({w['contained']:,} of {w['journeys']:,})" for w in weeks])
    journeys = c["journeys"]
    by_journey = Chart(
        "containment-journeys", "Resolved without staff, by journey",
        "; ".join(f"{j['label']} {percent(j['rate'])}" for j in journeys) or "No data.",
        ["journey", "contained", "journeys", "rate"],
        [[j["journey"], j["contained"], j["journeys"], j["rate"]] for j in journeys])
    bars(by_journey, [j["label"] for j in journeys], [j["rate"] for j in journeys],
         percent=True, notes=[f"({j['contained']:,} of {j['journeys']:,})" for j in journeys])
    return [by_service, trend, by_journey]


def _funnels(funnels: list[dict]) -> list[Chart]:
    result = []
    for f in funnels:
        stages = [("started", f["started"]), *((s["step"], s["reached"]) for s in f["steps"]),
                  ("completed", f["completed"])]
        chart = Chart(
            f"funnel-{f['journey'].replace('_', '-')}", f"Journey funnel: {f['label']}",
            f"{f['started']:,} started, {f['completed']:,} completed, "
            f"{f['abandoned']:,} stopped part way.",
            ["stage", "conversations"], [list(s) for s in stages])
        bars(chart, [s.replace("_", " ") for s, _ in stages], [n for _, n in stages])
        result.append(chart)
    return result


def _understanding(u: dict) -> Chart:
    chart = Chart(
        "understanding", "Not understood and not helpful, per recognised message",
        f"Fallback rate {percent(u['fallback_rate'])}; "
        f"'Not helpful' rate {percent(u['unhelpful_rate'])} of {u['intent']:,} messages.",
        ["measure", "count", "messages", "rate"],
        [["fallback", u["fallback"], u["intent"], u["fallback_rate"]],
         ["not_helpful", u["unhelpful"], u["intent"], u["unhelpful_rate"]]])
    return bars(chart, ["Fallback", "Not helpful"], [u["fallback_rate"], u["unhelpful_rate"]],
                percent=True)


def _staff(s: dict) -> list[Chart]:
    topics = s["topics"]
    by_topic = Chart(
        "escalations", "Escalations to staff, by topic and priority",
        f"{s['escalations']:,} escalations, {s['safeguarding']:,} with safeguarding concerns.",
        ["topic", *PRIORITIES, "total"],
        [[t["topic"], *(t[p] for p in PRIORITIES), t["total"]] for t in topics])
    columns(by_topic, [_label(t["topic"]) for t in topics],
            {p.capitalize(): [t[p] for t in topics] for p in PRIORITIES})
    first, handling = s["first_reply"], s["handling"]
    waits = Chart(
        "staff-times", "Waiting for staff and handling time (minutes)",
        f"First staff reply, office hours: median {minutes(first['median_seconds'])}, "
        f"90th percentile {minutes(first['p90_seconds'])}; handling median "
        f"{minutes(handling['median_seconds'])}. Reply target "
        f"{s['live_reply_target_minutes']} minutes: {s['live_breaches']:,} live chats over it.",
        ["measure", "seconds", "cases"],
        [["first_reply_median", first["median_seconds"], first["count"]],
         ["first_reply_p90", first["p90_seconds"], first["count"]],
         ["handling_median", handling["median_seconds"], handling["count"]],
         ["handling_p90", handling["p90_seconds"], handling["count"]],
         ["live_reply_breaches", s["live_breaches"], first["count"]],
         ["callbacks_open_now", s["callbacks"]["open"], ""],
         ["callbacks_overdue_now", s["callbacks"]["overdue"], ""]])
    values = [first["median_seconds"], first["p90_seconds"], handling["median_seconds"],
              handling["p90_seconds"]]
    bars(waits, ["First reply, median", "First reply, 90th pct", "Handling, median",
                 "Handling, 90th pct"], [round((v or 0) / 60, 1) for v in values])
    return [by_topic, waits]


def _satisfaction(s: dict) -> list[Chart]:
    scores = Chart(
        "satisfaction", "Residents' ratings at the end of a chat",
        f"{s['ratings']:,} ratings, average "
        + ("none" if s["average"] is None else f"{s['average']:.1f} out of 5") + ".",
        ["score", "ratings"], [[i + 1, n] for i, n in enumerate(s["distribution"])])
    bars(scores, [f"{i + 1} out of 5" for i in range(5)], s["distribution"])
    by_service = Chart(
        "satisfaction-services", "Average rating by service and by who resolved the chat",
        "; ".join(f"{_label(r['service'])} {r['average'] or 'none'}" for r in s["services"]),
        ["group", "ratings", "average"],
        [[r["service"], r["ratings"], r["average"]] for r in s["services"]]
        + [[f"resolved_by_{r['by']}", r["ratings"], r["average"]] for r in s["by"]])
    bars(by_service, [_label(r["service"]) for r in s["services"]]
         + [f"Resolved by {r['by']}" for r in s["by"]],
         [r["average"] or 0 for r in s["services"]] + [r["average"] or 0 for r in s["by"]])
    return [scores, by_service]


def _rough_sleeping(r: dict) -> list[Chart]:
    weeks = sorted({x["week"] for x in r["reports"]} | {x["week"] for x in r["signals"]})
    wards = sorted({x["ward"] for x in r["reports"]})
    count = {(x["week"], x["ward"]): x["reports"] for x in r["reports"]}
    reports = Chart(
        "rough-sleeping", "Rough sleeping reports per ward per week",
        f"{sum(count.values()):,} reports sent to outreach teams.",
        ["week_commencing", "ward", "reports"],
        [[x["week"], x["ward"], x["reports"]] for x in r["reports"]])
    columns(reports, [w[5:] for w in weeks],
            {ward: [count.get((w, ward), 0) for w in weeks] for ward in wards})
    names = sorted({x["signal"] for x in r["signals"]})
    signal = {(x["week"], x["signal"]): x["count"] for x in r["signals"]}
    prevention = Chart(
        "prevention", "Homelessness prevention signals per week (counts only)",
        f"{sum(signal.values()):,} signals: residents saying they are homeless, and council tax "
        "arrears conversations that mention eviction or notice.",
        ["week_commencing", "signal", "count"],
        [[x["week"], x["signal"], x["count"]] for x in r["signals"]])
    columns(prevention, [w[5:] for w in weeks],
            {n.replace("_", " "): [signal.get((w, n), 0) for w in weeks] for n in names})
    return [reports, prevention]
