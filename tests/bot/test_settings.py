"""Settings: embedded defaults for one machine, and no development secrets in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_defaults_use_sqlite_files_under_the_var_folder(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, _env_file=None)
    assert settings.backoffice_database_url == f"sqlite:///{tmp_path / 'backoffice.db'}"
    assert settings.database_url == f"sqlite:///{tmp_path / 'gateway.db'}"
    assert settings.redis_url == ""


def test_database_url_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://127.0.0.1:5432/test")
    assert Settings(_env_file=None).database_url == "postgresql://127.0.0.1:5432/test"


def test_production_refuses_development_secrets(monkeypatch):
    monkeypatch.setenv("COUNCILBOT_ENV", "production")
    with pytest.raises(ValidationError, match="BACKOFFICE_TOKEN"):
        Settings(_env_file=None)


def test_production_accepts_real_secrets(monkeypatch):
    monkeypatch.setenv("COUNCILBOT_ENV", "production")
    for name in ("BACKOFFICE_TOKEN", "RASA_TOKEN", "SECRET_KEY"):
        monkeypatch.setenv(name, "s3cr3t-" + name.lower())
    assert Settings(_env_file=None).environment == "production"


def test_tracker_db_is_the_var_folder_file_on_sqlite(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, _env_file=None)
    assert settings.rasa_tracker_dialect == "sqlite"
    assert settings.rasa_tracker_db == str((tmp_path / "rasa_tracker.db").resolve())


def test_tracker_db_is_a_database_name_on_postgresql(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("RASA_TRACKER_DIALECT", "postgresql")
    assert Settings(var_dir=tmp_path, _env_file=None).rasa_tracker_db == "rasa"
    monkeypatch.setenv("RASA_TRACKER_DB", "tracker")
    assert Settings(var_dir=tmp_path, _env_file=None).rasa_tracker_db == "tracker"
