"""The one SQLAlchemy declarative base, engines, sessions, and the one place that commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.pool import StaticPool

Base = declarative_base()

# BIGINT on PostgreSQL; SQLite only autoincrements a column declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    # hide_parameters: an error names the statement but never the values (a resident's words).
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    connect_args = {"check_same_thread": False}
    if not parsed.database or parsed.database == ":memory:":
        # One shared connection, or every new connection would see its own empty database.
        engine = create_engine(url, future=True, connect_args=connect_args, poolclass=StaticPool,
                               hide_parameters=True)
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args=connect_args,
                               hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers carry on while a writer commits; foreign keys are off by default;
    # secure_delete overwrites deleted rows, so purged and erased personal data is not left in
    # the file's free pages.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def checkpoint(engine: Engine | None) -> None:
    """SQLite: copy the write-ahead log into the file and empty it, so rows just deleted are
    not left in the log either (secure_delete overwrites them in the file)."""
    if engine is not None and engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker) -> Iterator[Session]:
    """Commit when the block succeeds, roll back when it raises."""
    session: Session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
