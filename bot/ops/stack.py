"""Starts the assistant's processes in the background and waits until each one is ready."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import requests

from bot.ops.processes import processes
from bot.rasa.environment import child_env
from bot.settings import PROJECT_DIR, Settings

START_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loopback_settings(var_dir: Path, models_dir: Path, **overrides: object) -> Settings:
    """Settings for a private copy of the stack on free loopback ports (tests, benchmarks)."""
    ports = {name: free_port() for name in ("backoffice", "actions", "rasa", "gateway")}
    values: dict[str, Any] = {
        "_env_file": None,
        "var_dir": var_dir,
        "backoffice_port": ports["backoffice"],
        "backoffice_url": f"http://127.0.0.1:{ports['backoffice']}",
        "action_server_port": ports["actions"],
        "rasa_port": ports["rasa"],
        "rasa_url": f"http://127.0.0.1:{ports['rasa']}",
        "gateway_port": ports["gateway"],
        "models_dir": models_dir,
        "rasa_token": "loopback-rasa-token",
        "backoffice_token": "loopback-backoffice-token",
    }
    values.update(overrides)
    return Settings(**values)


def readiness(settings: Settings) -> dict[str, tuple[str, Callable[[requests.Response], bool]]]:
    token = settings.rasa_token.get_secret_value()
    return {
        "backoffice": (f"{settings.backoffice_url}/health", lambda r: r.ok),
        "actions": (f"http://{settings.host}:{settings.action_server_port}/health",
                    lambda r: r.ok),
        "rasa": (f"{settings.rasa_url}/status?token={token}",
                 lambda r: r.ok and bool(r.json().get("model_file"))),
        "gateway": (f"http://{settings.host}:{settings.gateway_port}/health", lambda r: r.ok),
    }


@contextmanager
def running(settings: Settings, names: set[str], log_dir: Path) -> Iterator[dict[str, int]]:
    """Run the named processes; yields their PIDs; stops them all on exit."""
    env = child_env(settings)
    checks = readiness(settings)
    started: dict[str, subprocess.Popen] = {}
    logs: list[IO[str]] = []
    try:
        for process in processes(settings):
            if process.name in names:
                logs.append((log_dir / f"{process.name}.log").open("w"))
                started[process.name] = subprocess.Popen(
                    process.command, env=env, cwd=PROJECT_DIR, stdout=logs[-1],
                    stderr=subprocess.STDOUT)
                url, ready = checks[process.name]
                wait_until_ready(url, ready, started[process.name],
                                 log_dir / f"{process.name}.log")
        yield {name: proc.pid for name, proc in started.items()}
    finally:
        for proc in started.values():
            proc.terminate()
        for proc in started.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def wait_until_ready(url: str, ready: Callable[[requests.Response], bool],
                     process: subprocess.Popen, log: Path,
                     seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if ready(requests.get(url, timeout=2)):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready:\n{log.read_text()[-3000:]}")
