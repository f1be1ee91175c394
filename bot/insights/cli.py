"""`councilbot insights export|demo|purge`: open data, demo events, retention."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from bot.db import make_engine, make_session_factory, session_scope
from bot.http.clock import UtcClock
from bot.insights import demo, export
from bot.insights.record import delete_older_than
from bot.migrations import upgrade_to_head
from bot.settings import Settings, get_settings


@contextmanager
def gateway_session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
        with session_scope(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def run_export(args: argparse.Namespace) -> int:
    if args.weeks < 1 or args.weeks > 260:
        print("error: --weeks must be from 1 to 260")
        return 1
    clock = UtcClock()
    today = clock.local().date()
    with gateway_session(get_settings()) as session:
        rows = export.weekly_rows(session, today, args.weeks)
    for path in export.write(Path(args.out), rows, today, args.weeks):
        print(f"wrote {path}")
    return 0


def seed_demo(settings: Settings, *, weeks: int = 12, force: bool = False) -> int:
    """Demo events unless there are events already (or in production: never). Returns how
    many were written."""
    if settings.environment == "production":
        return 0
    with gateway_session(settings) as session:
        if demo.has_events(session) and not force:
            return 0
        return demo.seed(session, settings, UtcClock().now(), weeks=weeks)


def run_demo(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.environment == "production":
        print("error: demo insights are never seeded in production")
        return 1
    written = seed_demo(settings, weeks=args.weeks, force=args.force)
    print(f"seeded {written:,} demo events" if written else
          "events already recorded: nothing seeded (use --force to add demo events anyway)")
    return 0


def run_purge(_args: argparse.Namespace) -> int:
    settings = get_settings()
    with gateway_session(settings) as session:
        gone = delete_older_than(session, UtcClock().now(), settings.insights_retention_days)
    print(f"deleted {gone:,} events older than {settings.insights_retention_days} days")
    return 0


def add_insights_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("insights", help="service insights: open data, demo, retention")
    sub = parser.add_subparsers(dest="insights_command", required=True)
    exporting = sub.add_parser("export", help="weekly anonymised dataset (JSON, CSV, dictionary)")
    exporting.add_argument("--weeks", type=int, default=12, help="full weeks before this one")
    exporting.add_argument("--out", default="var/insights-export", help="folder to write to")
    exporting.set_defaults(handler=run_export)
    seeding = sub.add_parser("demo", help="seed demo events (development only)")
    seeding.add_argument("--weeks", type=int, default=12)
    seeding.add_argument("--force", action="store_true", help="even if events exist")
    seeding.set_defaults(handler=run_demo)
    sub.add_parser("purge", help="delete events older than INSIGHTS_RETENTION_DAYS").set_defaults(
        handler=run_purge)
