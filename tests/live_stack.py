"""The whole assistant as real processes (back office, action server, Rasa) for end-to-end tests."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.processes import PROJECT_DIR, child_env, processes
from bot.settings import Settings
from tests.net import free_port

RASA_START_SECONDS = 240


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


def _wait_for(url: str, ready, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            response = requests.get(url, timeout=2)
            if ready(response):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> Iterator[LiveStack]:
    models_dir = PROJECT_DIR / "models"
    if not any(models_dir.glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make model` (make test does) first.")
    var_dir = tmp_path_factory.mktemp("live_stack")
    ports = {name: free_port() for name in ("backoffice", "actions", "rasa")}
    settings = Settings(
        _env_file=None,
        var_dir=var_dir,
        backoffice_port=ports["backoffice"],
        backoffice_url=f"http://127.0.0.1:{ports['backoffice']}",
        action_server_port=ports["actions"],
        rasa_port=ports["rasa"],
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        models_dir=models_dir,
        rasa_token="live-stack-rasa-token",
        backoffice_token="live-stack-backoffice-token",
    )
    env = child_env(settings)
    started: list[subprocess.Popen] = []
    health = {
        "backoffice": (f"{settings.backoffice_url}/health", lambda r: r.ok),
        "actions": (f"http://127.0.0.1:{ports['actions']}/health", lambda r: r.ok),
        "rasa": (
            f"{settings.rasa_url}/status?token={settings.rasa_token.get_secret_value()}",
            lambda r: r.ok and bool(r.json().get("model_file")),
        ),
    }
    try:
        for process in processes(settings):
            if process.name not in health:
                continue
            log = var_dir / f"{process.name}.log"
            started.append(subprocess.Popen(
                process.command, env=env, cwd=PROJECT_DIR,
                stdout=log.open("w"), stderr=subprocess.STDOUT,
            ))
            url, ready = health[process.name]
            _wait_for(url, ready, started[-1], log, RASA_START_SECONDS)
        yield LiveStack(settings=settings, log_dir=var_dir)
    finally:
        for proc in started:
            proc.terminate()
        for proc in started:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
