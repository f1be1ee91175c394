"""Fixtures for the actions' tests: the actions' back-office clients pointed at the stub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from actions.backoffice import reset_clients
from tests.conftest import AUTH, TOKEN, ServedBackOffice


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    """Each test's clients are built from the environment it sets (the factories cache them)."""
    reset_clients()
    yield
    reset_clients()


@pytest.fixture
def backoffice_env(served_backoffice: ServedBackOffice,
                   monkeypatch: pytest.MonkeyPatch) -> ServedBackOffice:
    """The action server's environment pointing at the served stub back office, with short
    timeouts and no retries; `pin(now)` sets the stub's clock."""
    monkeypatch.setenv("BACKOFFICE_URL", served_backoffice.url)
    monkeypatch.setenv("BACKOFFICE_TOKEN", TOKEN)
    monkeypatch.setenv("BACKOFFICE_READ_TIMEOUT", "2")
    monkeypatch.setenv("BACKOFFICE_RETRIES", "0")

    def pin(now: str) -> None:
        requests.put(f"{served_backoffice.url}/_admin/clock", json={"now": now}, headers=AUTH,
                     timeout=5).raise_for_status()

    served_backoffice.pin = pin  # type: ignore[attr-defined]
    return served_backoffice
