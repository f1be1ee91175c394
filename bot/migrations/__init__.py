"""The gateway database's one Alembic history (staff console and content inbox tables alike)."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent


def schema_metadata() -> MetaData:
    """Every table kept in the gateway's database: the web models and the content inbox."""
    import bot.content.models  # noqa: F401  (each import registers its tables on bot.db.Base)
    import bot.insights.models  # noqa: F401
    import bot.web.models  # noqa: F401
    from bot.db import Base

    return Base.metadata


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; URLs may contain %-escapes.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Alembic runs each migration through module-level proxies (alembic.context, alembic.op):
# two threads migrating at once in one process break each other.
_MIGRATING = threading.Lock()


def upgrade_to_head(engine: Engine) -> None:
    """`alembic upgrade head` on the engine's database; a no-op when already current."""
    config = alembic_config(str(engine.url))
    with _MIGRATING, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def require_head(engine: Engine) -> None:
    """Refuse to serve a database `councilbot migrate` has not brought up to date."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise RuntimeError(
            f"The gateway database is at migration {current or 'none'}, not {head}: run "
            "`councilbot migrate` once before starting replicas (MIGRATE_ON_START is false).")
