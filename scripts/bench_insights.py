"""`make bench` (insights part): how long /staff/insights' figures take on a large event table.

Seeds about 100,000 demo conversations into a temporary SQLite database (and PostgreSQL when
BENCH_POSTGRES_URL is set), then times `queries.overview` for four weeks and for 13 weeks.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.db import make_engine, make_session_factory, session_scope
from bot.insights import demo, queries
from bot.insights.models import InsightEvent
from bot.migrations import upgrade_to_head
from bot.settings import Settings

NOW = datetime(2026, 12, 1, 12, 0)
WEEKS, PER_DAY = 13, 1450  # about 100,000 conversations
RUNS = 3


def bench(url: str, label: str) -> None:
    engine = make_engine(url)
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    settings = Settings(database_url=url)
    started = time.perf_counter()
    with session_scope(factory) as session:
        events = demo.seed(session, settings, NOW, weeks=WEEKS, per_day=PER_DAY)
    with session_scope(factory) as session:
        conversations = session.scalar(select(func.count()).select_from(InsightEvent).where(
            InsightEvent.kind == "conversation_started"))
    print(f"{label}: seeded {conversations:,} conversations, {events:,} events "
          f"in {time.perf_counter() - started:.0f} s")
    for days in (28, WEEKS * 7):
        f = queries.Filters(NOW.date() - timedelta(days=days - 1), NOW.date())
        samples = []
        for _ in range(RUNS):
            with session_scope(factory) as session:
                began = time.perf_counter()
                queries.overview(session, f, NOW, 10)
                samples.append(time.perf_counter() - began)
        print(f"{label}: insights page figures, {days} days: median "
              f"{statistics.median(samples):.2f} s (n={RUNS})")
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{Path(tmp) / 'insights.db'}", "sqlite")
    if os.environ.get("BENCH_POSTGRES_URL"):
        bench(os.environ["BENCH_POSTGRES_URL"], "postgresql")


if __name__ == "__main__":
    main()
