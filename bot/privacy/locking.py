"""One purge at a time per database, whichever replica runs it."""

from __future__ import annotations

import zlib

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def take_turn(bind: Session | Connection, name: str) -> bool:
    """On PostgreSQL, a transaction-scoped advisory lock: False when another replica holds it,
    and this replica leaves the work to it. SQLite serialises writers itself, and every purge
    step deletes or blanks only what is still there, so running one twice changes nothing."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    if dialect.name != "postgresql":
        return True
    key = zlib.crc32(f"councilbot-privacy-{name}".encode())
    return bool(bind.execute(sa.text("SELECT pg_try_advisory_xact_lock(:key)"),
                             {"key": key}).scalar())
