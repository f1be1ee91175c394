"""The one Alembic history builds exactly the schema the web and content models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db import make_engine
from bot.migrations import schema_metadata, upgrade_to_head


def test_upgrade_head_matches_the_models_and_is_repeatable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'gw.db'}")
    upgrade_to_head(engine)
    upgrade_to_head(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), schema_metadata())
    assert diff == []
