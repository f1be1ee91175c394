"""The bin journeys' tests run on the stub back office's clock pinned to a Monday in December."""

from __future__ import annotations

import pytest

from tests.conftest import ServedBackOffice


@pytest.fixture
def backoffice_env(backoffice_env: ServedBackOffice) -> ServedBackOffice:
    backoffice_env.pin("2026-12-21T09:00:00")  # type: ignore[attr-defined]
    return backoffice_env
