"""`councilbot migrate`: every shared database brought up to date once, before any replica.

The gateway's Alembic history and saved replies (and demo staff outside production), the stub
back office's tables and demo council, and on PostgreSQL Rasa's tracker tables, which each
Rasa replica would otherwise create at start, racing the others. A PostgreSQL database that
does not exist yet is created first.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bot.backoffice.app import prepare_database as prepare_backoffice
from bot.db import make_engine, make_session_factory
from bot.http.clock import LondonClock
from bot.migrations import upgrade_to_head
from bot.settings import Settings
from bot.web.clock import Clock
from bot.web.events import Broker
from bot.web.rasa import RasaClient
from bot.web.ratelimit import RateLimiter
from bot.web.runtime import Runtime
from bot.web.services import demo


def migrate(settings: Settings) -> list[str]:
    """Run every migration and seed; returns what was done, one line each."""
    done = []
    _create_database_if_missing(make_url(settings.database_url))
    gateway = make_engine(settings.database_url)
    upgrade_to_head(gateway)
    demo.seed(_seeding_runtime(settings, gateway))
    done.append(f"gateway database {gateway.url.render_as_string(hide_password=True)}")
    _create_database_if_missing(make_url(settings.backoffice_database_url))
    backoffice = make_engine(settings.backoffice_database_url)
    prepare_backoffice(backoffice, LondonClock())
    done.append(f"back office database {backoffice.url.render_as_string(hide_password=True)}")
    if settings.rasa_tracker_dialect == "postgresql":
        done.append(f"Rasa tracker store {_prepare_tracker_store(settings)}")
    return done


def _seeding_runtime(settings: Settings, engine) -> Runtime:  # type: ignore[no-untyped-def]
    # Seeding reads only the settings, the clock and the database.
    return Runtime(settings=settings, clock=Clock(), session_factory=make_session_factory(engine),
                   broker=Broker(), rasa=RasaClient(settings.rasa_url, ""), limiter=RateLimiter())


def _prepare_tracker_store(settings: Settings) -> str:
    from rasa.core.tracker_store import SQLTrackerStore

    url = URL.create("postgresql", username=settings.rasa_tracker_user,
                     password=settings.rasa_tracker_password.get_secret_value() or None,
                     host=settings.rasa_tracker_host, port=settings.rasa_tracker_port,
                     database=settings.rasa_tracker_db)
    _create_database_if_missing(url)
    tracker = create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(tracker)
    tracker.dispose()
    return url.render_as_string(hide_password=True)


def _create_database_if_missing(url: URL) -> None:
    if url.get_backend_name() != "postgresql" or not url.database:
        return
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": url.database}).first()
        if not exists:
            quoted = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    server.dispose()
