"""Settings: embedded defaults for one machine, and no development secrets in production."""

from __future__ import annotations

import secrets
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


STRONG = {name: secrets.token_urlsafe(32) for name in (
    "BACKOFFICE_TOKEN", "RASA_TOKEN", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "SECRET_KEY")}


def production(monkeypatch, **env: str) -> Settings:
    monkeypatch.setenv("COUNCILBOT_ENV", "production")
    for name, value in {**STRONG, **env}.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_production_accepts_long_random_distinct_secrets(monkeypatch):
    settings = production(monkeypatch)
    assert settings.environment == "production" and settings.secure_cookies
    assert settings.widget_allowed_origins == "" and not settings.backoffice_test_switches


@pytest.mark.parametrize("value", ["dev-backoffice-token", "dev-" + "x" * 40, "short-secret",
                                   "dev-secret-key-change-me"])
def test_production_refuses_development_or_short_secrets(monkeypatch, value):
    with pytest.raises(ValidationError, match="BACKOFFICE_TOKEN must be a random secret"):
        production(monkeypatch, BACKOFFICE_TOKEN=value)


def test_production_refuses_one_secret_for_two_doors(monkeypatch):
    with pytest.raises(ValidationError, match="must be different"):
        production(monkeypatch, RASA_API_TOKEN=STRONG["RASA_TOKEN"])


def test_production_refuses_any_origin_for_the_widget(monkeypatch):
    with pytest.raises(ValidationError, match="WIDGET_ALLOWED_ORIGINS"):
        production(monkeypatch, WIDGET_ALLOWED_ORIGINS="*")


def test_production_never_fills_in_development_secrets(monkeypatch):
    """A process given only its own secrets starts; one missing its own refuses to."""
    monkeypatch.setenv("COUNCILBOT_ENV", "production")
    monkeypatch.setenv("BACKOFFICE_TOKEN", STRONG["BACKOFFICE_TOKEN"])
    settings = Settings(_env_file=None)
    assert settings.rasa_token.get_secret_value() == ""
    settings.require_secrets("backoffice")
    with pytest.raises(RuntimeError, match="SECRET_KEY, RASA_TOKEN, RASA_API_TOKEN"):
        settings.require_secrets("gateway")


def test_development_fills_in_its_own_distinct_secrets():
    settings = Settings(_env_file=None)
    assert settings.environment == "development" and not settings.secure_cookies
    values = {getattr(settings, name).get_secret_value() for name in (
        "backoffice_token", "rasa_token", "rasa_api_token", "action_server_token", "secret_key")}
    assert len(values) == 5


def test_a_gateway_beyond_loopback_needs_an_explicit_environment(monkeypatch):
    monkeypatch.setenv("GATEWAY_HOST", "0.0.0.0")
    with pytest.raises(ValidationError, match="COUNCILBOT_ENV must be set"):
        Settings(_env_file=None)
    monkeypatch.setenv("COUNCILBOT_ENV", "development")
    assert Settings(_env_file=None).host == "0.0.0.0"


def test_tracker_db_is_the_var_folder_file_on_sqlite(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, _env_file=None)
    assert settings.rasa_tracker_dialect == "sqlite"
    assert settings.rasa_tracker_db == str((tmp_path / "rasa_tracker.db").resolve())


def test_tracker_db_is_a_database_name_on_postgresql(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("RASA_TRACKER_DIALECT", "postgresql")
    assert Settings(var_dir=tmp_path, _env_file=None).rasa_tracker_db == "rasa"
    monkeypatch.setenv("RASA_TRACKER_DB", "tracker")
    assert Settings(var_dir=tmp_path, _env_file=None).rasa_tracker_db == "tracker"
