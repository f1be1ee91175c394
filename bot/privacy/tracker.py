"""Rasa's SQL tracker store (`events` table, SQLite or PostgreSQL): purge, erase, export.

A conversation's events go together: Rasa rebuilds a conversation from all of them, so
deleting some would leave a tracker it cannot replay.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from actions.common.payloads import REDACTED
from actions.council_tax import PERSONAL_SLOTS
from bot.privacy.locking import take_turn
from bot.settings import Settings

EVENTS = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("data"))


def tracker_url(settings: Settings) -> URL:
    """The tracker store endpoints.yml / endpoints.scale.yml configure Rasa with."""
    if settings.rasa_tracker_dialect == "sqlite":
        return URL.create("sqlite", database=settings.rasa_tracker_db)
    return URL.create("postgresql", username=settings.rasa_tracker_user,
                      password=settings.rasa_tracker_password.get_secret_value() or None,
                      host=settings.rasa_tracker_host, port=settings.rasa_tracker_port,
                      database=settings.rasa_tracker_db)


def make_tracker_engine(settings: Settings) -> Engine:
    engine = sa.create_engine(tracker_url(settings), future=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        # As the tracker store itself: deleted rows are overwritten in the file.
        sa.event.listen(engine, "connect",
                        lambda conn, _record: conn.execute("PRAGMA secure_delete = ON"))
    return engine


def _has_events(connection: Connection) -> bool:
    return sa.inspect(connection).has_table("events")  # none until Rasa's first save


def _epoch(moment: datetime) -> float:
    return (moment - datetime(1970, 1, 1)).total_seconds()


def _senders_idle_since(cutoff: datetime) -> sa.sql.Select:
    return (sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < _epoch(cutoff)))


def purge(engine: Engine, settings: Settings, now: datetime) -> dict[str, int]:
    """Delete conversations idle past `retention_tracker_days`; blank council tax
    verification left in the slots of those idle past `retention_verification_minutes`."""
    with engine.begin() as connection:
        if not _has_events(connection) or not take_turn(connection, "tracker"):
            return {}
        deleted = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(
            _senders_idle_since(now - timedelta(days=settings.retention_tracker_days))
        ))).rowcount
        quiet = _senders_idle_since(
            now - timedelta(minutes=settings.retention_verification_minutes))
        blanked = _blank_slots(connection, EVENTS.c.sender_id.in_(quiet))
    return {"tracker_events_deleted": deleted, "tracker_verification_slots_blanked": blanked}


def _blank_slots(connection: Connection, where: sa.sql.ColumnElement) -> int:
    names = sa.or_(*(EVENTS.c.data.like(f'%"{name}"%') for name in PERSONAL_SLOTS))
    rows = connection.execute(sa.select(EVENTS.c.id, EVENTS.c.data).where(
        where, EVENTS.c.type_name == "slot", names)).all()
    blanked = 0
    for row in rows:
        event = json.loads(row.data)
        if event.get("name") in PERSONAL_SLOTS and event.get("value") not in (None, REDACTED):
            event["value"] = REDACTED
            connection.execute(sa.update(EVENTS).where(EVENTS.c.id == row.id)
                               .values(data=json.dumps(event)))
            blanked += 1
    return blanked


def senders_mentioning(engine: Engine, needles: Iterable[str]) -> set[str]:
    """Conversations whose stored events contain any of `needles` (an email, a phone)."""
    needles = [n for n in needles if n]
    with engine.connect() as connection:
        if not needles or not _has_events(connection):
            return set()
        return set(connection.execute(sa.select(EVENTS.c.sender_id).distinct().where(
            sa.or_(*(EVENTS.c.data.contains(n, autoescape=True) for n in needles)))).scalars())


def erase(engine: Engine, sender_ids: Iterable[str]) -> int:
    ids = list(sender_ids)
    with engine.begin() as connection:
        if not ids or not _has_events(connection):
            return 0
        return connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(ids))).rowcount


def export(engine: Engine, sender_ids: Iterable[str]) -> dict[str, list[dict]]:
    """Per conversation, what Rasa holds: each message, reply and remembered value."""
    ids = list(sender_ids)
    with engine.connect() as connection:
        if not ids or not _has_events(connection):
            return {}
        rows = connection.execute(sa.select(EVENTS.c.sender_id, EVENTS.c.data)
                                  .where(EVENTS.c.sender_id.in_(ids)).order_by(EVENTS.c.id))
        held: dict[str, list[dict]] = {}
        for sender_id, data in rows:
            item = _readable(json.loads(data))
            if item:
                held.setdefault(sender_id, []).append(item)
        return held


def _readable(event: dict) -> dict | None:
    at = datetime.utcfromtimestamp(event.get("timestamp") or 0).isoformat(timespec="seconds")
    kind = event.get("event")
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        return {"at": at, "kind": "you said", "text": event.get("text") or "", "meaning": intent}
    if kind == "bot" and event.get("text"):
        return {"at": at, "kind": "assistant said", "text": event["text"]}
    if kind == "slot" and event.get("value") is not None:
        return {"at": at, "kind": "remembered", "name": event.get("name"),
                "value": event.get("value")}
    return None
