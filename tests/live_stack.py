"""The whole assistant as real processes (back office, action server, Rasa) for end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.processes import PROJECT_DIR
from bot.settings import Settings
from bot.stack import loopback_settings, running


@dataclass
class LiveStack:
    settings: Settings
    log_dir: Path

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    @property
    def rasa_token(self) -> str:
        return self.settings.rasa_token.get_secret_value()

    @property
    def backoffice_url(self) -> str:
        return self.settings.backoffice_url

    def say(self, sender: str, message: str) -> list[dict]:
        """One resident turn over the REST channel, as the gateway sends it."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            params={"token": self.rasa_token},
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> Iterator[LiveStack]:
    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make model` (make test does) first.")
    var_dir = tmp_path_factory.mktemp("live_stack")
    settings = loopback_settings(var_dir, PROJECT_DIR / "models")
    with running(settings, {"backoffice", "actions", "rasa"}, var_dir):
        yield LiveStack(settings=settings, log_dir=var_dir)
