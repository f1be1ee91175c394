"""The one Alembic history builds exactly the schema the web and content models describe."""

from __future__ import annotations

import pytest
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


def test_a_replica_refuses_a_database_migrate_has_not_brought_up_to_date(tmp_path):
    from bot.migrations import require_head
    from bot.web.app import create_app
    from tests.bot.web.conftest import gateway_settings

    settings = gateway_settings(tmp_path, "http://127.0.0.1:9", migrate_on_start=False)
    with pytest.raises(RuntimeError, match="councilbot migrate"):
        create_app(settings)
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    require_head(engine)
    create_app(settings)
