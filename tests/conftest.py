"""Shared fixtures: a real stub back office served over HTTP on a free loopback port, and the
whole assistant for end-to-end tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
import uvicorn
from fastapi.testclient import TestClient

from actions.backoffice.config import BackOfficeConfig
from bot.backoffice.app import create_app
from bot.ops.stack import free_port
from bot.settings import Settings
from tests.e2e.live_stack import LiveStack, started_stack

pytest_plugins = ["tests.browser"]  # one Chromium for every browser test

TOKEN = "test-backoffice-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def backoffice_settings(tmp_path: Path) -> Settings:
    return Settings(
        backoffice_database_url=f"sqlite:///{tmp_path / 'backoffice.db'}",
        backoffice_token=TOKEN,
        backoffice_test_switches=True,
        var_dir=tmp_path,
    )


@pytest.fixture
def backoffice_app(tmp_path: Path):
    return create_app(backoffice_settings(tmp_path))


@pytest.fixture
def backoffice(backoffice_app) -> Iterator[TestClient]:
    """The stub back office in-process, authorised, for testing its own endpoints."""
    with TestClient(backoffice_app, headers=AUTH) as client:
        yield client


class ServedBackOffice:
    def __init__(self, app, url: str) -> None:
        self.app = app
        self.url = url

    def config(self, **overrides) -> BackOfficeConfig:
        values = {"base_url": self.url, "token": TOKEN, "read_timeout": 2.0,
                  "backoff_seconds": 0.01}
        values.update(overrides)
        return BackOfficeConfig(**values)

    def set_faults(self, **faults) -> None:
        requests.put(f"{self.url}/_admin/faults", json=faults, headers=AUTH, timeout=5)


@pytest.fixture
def served_backoffice(backoffice_app) -> Iterator[ServedBackOffice]:
    """The stub back office over real HTTP, as the action server reaches it."""
    port = free_port()
    server = uvicorn.Server(
        # ws="none": Rasa pins websockets 10, which uvicorn's websocket support cannot import.
        uvicorn.Config(backoffice_app, host="127.0.0.1", port=port, log_level="warning",
                       ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("stub back office did not start")
        time.sleep(0.02)
    yield ServedBackOffice(backoffice_app, f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> Iterator[LiveStack]:
    """One whole assistant for every end-to-end test of the run (starting Rasa takes ~30 s)."""
    with started_stack(tmp_path_factory.mktemp("live_stack")) as stack:
        yield stack


@pytest.fixture
def today() -> date:
    return date.today()
