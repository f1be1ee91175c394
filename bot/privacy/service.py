"""Purge, erase and export across every store: the gateway's database, Rasa's tracker store
and the stub back office. Used by `councilbot privacy` and the staff console's privacy page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import checkpoint, make_engine, make_session_factory, session_scope
from bot.http.clock import LondonClock
from bot.migrations import upgrade_to_head
from bot.privacy import backoffice, gateway, tracker
from bot.settings import Settings
from bot.web.data import staff as staff_data

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadSubject(ValueError):
    """The resident was not named in a usable way; nothing was looked up."""


@dataclass(frozen=True)
class Subject:
    """One resident, named by one of: a conversation id, or the email or phone they left."""

    conversation_id: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, conversation_id: str = "", email: str = "", phone: str = "") -> Subject:
        given = {k: v.strip() for k, v in (("conversation_id", conversation_id),
                                           ("email", email), ("phone", phone)) if v.strip()}
        if len(given) != 1:
            raise BadSubject("Give exactly one of a conversation id, an email or a phone.")
        subject = cls(**given)
        if subject.email and not EMAIL.match(subject.email):
            raise BadSubject("That is not an email address.")
        if subject.phone and not 7 <= len(gateway.digits(subject.phone)) <= 15:
            raise BadSubject("A phone number has 7 to 15 digits.")
        if subject.conversation_id and not CONVERSATION_ID.match(subject.conversation_id):
            raise BadSubject("A conversation id is letters, digits, - and _ only.")
        return subject

    @property
    def found_by(self) -> str:
        return next(k for k in ("conversation_id", "email", "phone") if getattr(self, k))

    @property
    def needles(self) -> list[str]:
        return [n for n in (self.email, self.phone,
                            gateway.digits(self.phone) if self.phone else "") if n]


@dataclass
class Found:
    conversations: set[str] = field(default_factory=set)  # gateway ids = Rasa sender ids
    report_references: set[str] = field(default_factory=set)

    @property
    def anything(self) -> bool:
        return bool(self.conversations or self.report_references)


class Stores:
    """Connections to every store the settings name; the back office's is optional (a real
    council system has its own retention)."""

    def __init__(self, settings: Settings, gateway_engine: Engine | None = None) -> None:
        self.settings = settings
        self._own_gateway = gateway_engine is None
        if gateway_engine is None:
            gateway_engine = _quiet(make_engine(settings.database_url))
            upgrade_to_head(gateway_engine)  # as the gateway does when it starts
        self.gateway_engine = gateway_engine
        self.tracker_engine = tracker.make_tracker_engine(settings)
        self.backoffice_engine = _existing(settings.backoffice_database_url)

    def close(self) -> None:
        engines = [self.tracker_engine, self.backoffice_engine]
        for engine in engines + ([self.gateway_engine] if self._own_gateway else []):
            if engine is not None:
                engine.dispose()

    @contextmanager
    def gateway(self) -> Iterator[Session]:
        with session_scope(make_session_factory(self.gateway_engine)) as session:
            yield session

    @contextmanager
    def backoffice(self) -> Iterator[Session | None]:
        engine = self.backoffice_engine
        if engine is None or not sa.inspect(engine).has_table("rs_reports"):
            yield None
            return
        with session_scope(make_session_factory(engine)) as session:
            yield session


def _existing(url: str) -> Engine | None:
    """The stub back office's database, unless it is a SQLite file that was never made (the
    council's real systems run instead)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (
            parsed.database and Path(parsed.database).exists()):
        return None
    return _quiet(make_engine(url))


def _quiet(engine: Engine) -> Engine:
    """An error's text must not quote the email or phone being looked for."""
    engine.hide_parameters = True
    return engine


@contextmanager
def stores(settings: Settings, gateway_engine: Engine | None = None) -> Iterator[Stores]:
    made = Stores(settings, gateway_engine)
    try:
        yield made
    finally:
        made.close()


def purge_gateway_side(made: Stores, now: datetime) -> dict[str, int]:
    """What the gateway's own timer purges: its database and Rasa's tracker store."""
    with made.gateway() as session:
        counts = gateway.purge(session, made.settings, now)
    counts.update(tracker.purge(made.tracker_engine, made.settings, now))
    checkpoint(made.gateway_engine)
    checkpoint(made.tracker_engine)
    return counts


def purge_backoffice(made: Stores, now: datetime) -> dict[str, int]:
    with made.backoffice() as session:
        counts = backoffice.purge(session, made.settings, now) if session is not None else {}
    checkpoint(made.backoffice_engine)
    return counts


def gateway_job(settings: Settings, engine: Engine, clock: Callable[[], datetime]
                ) -> Callable[[], dict[str, int]]:
    """The gateway's timer job (bot/privacy/schedule.py), on the gateway's own engine."""
    def job() -> dict[str, int]:
        with stores(settings, engine) as made:
            return purge_gateway_side(made, clock())
    return job


def backoffice_job(session_factory: sessionmaker, settings: Settings,
                   clock: Callable[[], datetime]) -> Callable[[], dict[str, int]]:
    """The stub back office's timer job, on its own database."""
    def job() -> dict[str, int]:
        with session_scope(session_factory) as session:
            return backoffice.purge(session, settings, clock())
    return job


def purge(settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Every store, by the retention settings. `now` is UTC; the back office keeps UK time."""
    with stores(settings) as made:
        return {**purge_gateway_side(made, now or datetime.utcnow()),
                **purge_backoffice(made, LondonClock().now() if now is None else now)}


def find(made: Stores, subject: Subject) -> Found:
    with made.gateway() as session:
        ids = gateway.conversations_of(session, conversation_id=subject.conversation_id,
                                       email=subject.email, phone=subject.phone)
        ids |= tracker.senders_mentioning(made.tracker_engine, subject.needles)
        if subject.conversation_id and tracker.export(made.tracker_engine,
                                                      [subject.conversation_id]):
            ids.add(subject.conversation_id)  # in Rasa's records, whatever the gateway holds
        references = gateway.report_references(session, ids)
    return Found(ids, references)


def export(made: Stores, subject: Subject, now: datetime | None = None) -> dict:
    """Everything held about the resident, readable (a subject access request's answer)."""
    found = find(made, subject)
    with made.gateway() as session:
        conversations = gateway.export(session, found.conversations)
    with made.backoffice() as session:
        reports = (backoffice.export(session, found.report_references, subject.email,
                                     subject.phone) if session is not None else [])
    return {
        "produced": (now or datetime.utcnow()).isoformat(timespec="seconds"),
        "found_by": subject.found_by,
        "conversations": conversations,
        "assistant_records": tracker.export(made.tracker_engine, found.conversations),
        "rough_sleeping_reports": reports,
    }


def erase(made: Stores, subject: Subject, *, staff_id: int | None = None, reference: str = "",
          now: datetime | None = None) -> dict[str, int]:
    """Remove the resident's data from every store and record that it was done: when, by
    whom, under which request reference and how many records went; never what they held."""
    found = find(made, subject)
    with made.backoffice() as session:
        removed = (backoffice.erase(session, found.report_references, subject.email,
                                    subject.phone) if session is not None else {})
    removed["tracker_events_deleted"] = tracker.erase(made.tracker_engine, found.conversations)
    with made.gateway() as session:
        removed.update(gateway.erase(session, found.conversations))
        staff_data.record(session, now or datetime.utcnow(), "privacy_erase", staff_id=staff_id,
                          found_by=subject.found_by, reference=reference[:60], **removed)
    for engine in (made.gateway_engine, made.tracker_engine, made.backoffice_engine):
        checkpoint(engine)
    return removed
