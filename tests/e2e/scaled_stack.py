"""The scaled-out assistant for end-to-end tests: HAProxy, two gateways, two Rasa servers,
two action servers and the back office, on PostgreSQL and Redis databases of their own.

PostgreSQL and Redis are the machine's (127.0.0.1:5432 and :6379). Without them the tests are
skipped, unless COUNCILBOT_REQUIRE_SCALE_SERVICES is set (.ci/run sets it): then they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
import sqlalchemy as sa

from bot.ops import scaled
from bot.rasa.api_auth import api_headers
from bot.settings import PROJECT_DIR, Settings

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379"
REDIS_DB = 13  # the scale-out tests' own: rate limits and Rasa's locks never meet others'
REQUIRE = "COUNCILBOT_REQUIRE_SCALE_SERVICES"
RASA_TOKEN = "scaled-rasa-token"


@dataclass
class ScaledStack:
    settings: Settings
    layout: scaled.Layout
    processes: dict
    models_dir: Path

    @property
    def url(self) -> str:
        return self.layout.url(self.layout.public_port)

    def gateway(self, letter: str) -> str:
        return self.layout.url(dict(scaled.named(self.layout.gateways))[letter])

    def rasa(self, letter: str) -> str:
        return self.layout.url(dict(scaled.named(self.layout.rasas))[letter])

    def served(self) -> dict[str, int]:
        """Requests each replica has answered so far, from HAProxy's statistics."""
        return scaled.served_requests(self.layout)

    def rasa_model(self, letter: str) -> dict:
        api_token = self.settings.rasa_api_token.get_secret_value()
        response = httpx.get(f"{self.rasa(letter)}/status", headers=api_headers(api_token),
                             timeout=10)
        response.raise_for_status()
        return response.json()


def require_services() -> None:
    try:
        sa.create_engine(f"{POSTGRES}/postgres").connect().close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means the services are not there
        message = f"PostgreSQL ({POSTGRES}) or Redis ({REDIS_URL}) is not running: {exc}"
        if os.environ.get(REQUIRE):
            pytest.fail(message)
        pytest.skip(message)


def scratch_settings(var_dir: Path, models_dir: Path) -> Settings:
    """Settings for a private scaled stack: databases named for it, the tests' Redis db."""
    suffix = secrets.token_hex(4)
    return Settings(
        _env_file=None, var_dir=var_dir, models_dir=models_dir,
        database_url=f"{POSTGRES}/scale_gateway_{suffix}",
        backoffice_database_url=f"sqlite:///{var_dir / 'backoffice.db'}",
        redis_url=f"{REDIS_URL}/{REDIS_DB}",
        rasa_tracker_dialect="postgresql", rasa_tracker_db=f"scale_tracker_{suffix}",
        rasa_tracker_user="postgres", rasa_lock_redis_db=REDIS_DB,
        rasa_token=RASA_TOKEN, backoffice_token="scaled-backoffice-token",
        secret_key="scaled-secret-key", rasa_model_pull_seconds=2,
        office_hours="00:00-23:59", office_days="mon,tue,wed,thu,fri,sat,sun",
        rasa_timeout_seconds=30,
    )


@contextmanager
def dropped_afterwards(settings: Settings) -> Iterator[None]:
    """Drop the stack's PostgreSQL databases (which `councilbot migrate` creates) at the end."""
    names = (sa.engine.make_url(settings.database_url).database, settings.rasa_tracker_db)
    server = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        yield
    finally:
        with server.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def shared_model(var_dir: Path) -> Path:
    """A models folder holding a copy of the newest model `make model` trained."""
    trained = sorted((PROJECT_DIR / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not trained:
        pytest.fail("No trained model in models/: run `make model` (make test does) first.")
    models_dir = var_dir / "models"
    models_dir.mkdir(exist_ok=True)
    shutil.copy(trained[-1], models_dir / trained[-1].name)
    return models_dir


@contextmanager
def started_scaled_stack(var_dir: Path) -> Iterator[ScaledStack]:
    """Every replica on free loopback ports, sharing one copy of the newest trained model."""
    require_services()
    models_dir = shared_model(var_dir)
    settings = scratch_settings(var_dir, models_dir)
    layout = scaled.Layout.free()
    with dropped_afterwards(settings), scaled.started(settings, layout, var_dir) as started:
        yield ScaledStack(scaled.shared_settings(settings, layout), layout, started, models_dir)
