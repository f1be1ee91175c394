"""The whole assistant as real processes (back office, action server, Rasa) for end-to-end tests.

tests/conftest.py serves it as the session fixture `live_stack`, which tests/bot/web uses too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.ops.stack import loopback_settings, running
from bot.rasa.api_auth import bearer
from bot.settings import PROJECT_DIR, Settings


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
            headers=bearer(self.rasa_token),
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()


def reply_text(reply: list[dict], between: str = "\n") -> str:
    """The texts of one turn's bot messages, joined (buttons and custom payloads left out)."""
    return between.join(m.get("text") or "" for m in reply)


@contextmanager
def started_stack(var_dir: Path) -> Iterator[LiveStack]:
    """The back office, action server and Rasa with the newest model in models/."""
    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make model` (make test does) first.")
    settings = loopback_settings(var_dir, PROJECT_DIR / "models")
    with running(settings, {"backoffice", "actions", "rasa"}, var_dir):
        yield LiveStack(settings=settings, log_dir=var_dir)
