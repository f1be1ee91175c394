"""Each council tax test talks to the assistant through a fresh `Chat`."""

from __future__ import annotations

import pytest

from tests.actions.council_tax.chat import Chat


@pytest.fixture
def chat() -> Chat:
    return Chat()
