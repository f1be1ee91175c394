"""Back-office clients are built once per process from one set of settings."""

from __future__ import annotations

from actions.backoffice import (
    backoffice_config,
    reset_clients,
    rough_sleeping_client,
    waste_client,
)
from actions.backoffice.config import DEV_TOKEN, BackOfficeConfig
from bot.settings import BACKOFFICE_BACKOFF_SECONDS, Settings


def test_each_client_is_built_once_and_keeps_its_session():
    first = waste_client()
    assert waste_client() is first and waste_client().session is first.session


def test_quick_client_gives_up_fast_beside_the_ordinary_one(monkeypatch):
    monkeypatch.setenv("BACKOFFICE_READ_TIMEOUT", "10")
    monkeypatch.setenv("BACKOFFICE_RETRIES", "2")
    reset_clients()
    quick, ordinary = rough_sleeping_client(quick=True), rough_sleeping_client()
    assert quick is not ordinary
    assert (quick.config.read_timeout, quick.config.retries) == (2.0, 0)
    assert (ordinary.config.read_timeout, ordinary.config.retries) == (10.0, 2)


def test_settings_are_read_from_the_environment_until_reset(monkeypatch):
    monkeypatch.setenv("BACKOFFICE_URL", "http://backoffice.test")
    reset_clients()
    assert backoffice_config().base_url == "http://backoffice.test"
    assert waste_client().config.base_url == "http://backoffice.test"
    monkeypatch.setenv("BACKOFFICE_URL", "http://elsewhere.test")
    assert waste_client().config.base_url == "http://backoffice.test"


def test_unset_variables_keep_the_documented_defaults():
    config = BackOfficeConfig.from_env({})
    assert config == BackOfficeConfig()
    assert (config.base_url, config.token) == ("http://127.0.0.1:8001", DEV_TOKEN)
    # The same figures as the time budget in bot/settings.py, which councilbot passes on.
    budget = Settings(_env_file=None)
    assert (config.connect_timeout, config.read_timeout, config.retries) == (
        budget.backoffice_connect_timeout, budget.backoffice_read_timeout,
        budget.backoffice_retries)
    assert config.backoff_seconds == BACKOFFICE_BACKOFF_SECONDS


def test_environment_values_are_typed():
    config = BackOfficeConfig.from_env({"BACKOFFICE_CONNECT_TIMEOUT": "1.5",
                                        "BACKOFFICE_RETRIES": "0", "BACKOFFICE_TOKEN": "t"})
    assert (config.connect_timeout, config.retries, config.token) == (1.5, 0, "t")
