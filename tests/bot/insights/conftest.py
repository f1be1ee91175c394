"""Markers the insights tests use (the same ones the gateway tests register)."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs PostgreSQL on 127.0.0.1:5432 (db test)")
    config.addinivalue_line("markers", "live_stack: needs trained Rasa, action server, back office")
