"""supervisord as `councilbot run` uses it, with the stub back office as the process: a killed
process comes back, SIGTERM stops everything, and a killed supervisord leaves nothing behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time

import requests

from bot.ops.stack import loopback_settings, readiness, wait_until_ready
from bot.ops.supervision import supervisord_command, wait_for_new_pid, write_config
from bot.rasa.environment import child_env
from bot.settings import PROJECT_DIR


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not alive(pid)


def test_config_restarts_every_process_and_only_its_owner_can_read_it(tmp_path):
    settings = loopback_settings(tmp_path, PROJECT_DIR / "models")
    handle = write_config(settings)
    text = handle.config.read_text()
    for name in ("backoffice", "actions", "rasa", "gateway"):
        assert f"[program:{name}]" in text
    assert text.count("autorestart = true") == 4
    assert text.count("--pdeathsig TERM") == 4
    assert stat.S_IMODE(handle.config.stat().st_mode) == 0o600


def test_killed_process_is_restarted_and_sigterm_or_sigkill_stops_everything(tmp_path):
    settings = loopback_settings(tmp_path, PROJECT_DIR / "models")
    handle = write_config(settings, {"backoffice"}, log_dir=tmp_path / "log")
    url, ready = readiness(settings)["backoffice"]

    def start() -> subprocess.Popen:
        daemon = subprocess.Popen(supervisord_command(handle), env=child_env(settings),
                                  cwd=PROJECT_DIR, stdout=subprocess.DEVNULL)
        wait_until_ready(url, ready, daemon, tmp_path / "log" / "backoffice.log")
        return daemon

    daemon = start()
    first = handle.pid("backoffice")
    os.kill(first, signal.SIGKILL)
    second = wait_for_new_pid(handle, "backoffice", first, seconds=20)
    wait_until_ready(url, ready, daemon, tmp_path / "log" / "backoffice.log")
    assert requests.get(url, timeout=5).ok
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=30) == 0
    assert gone_within(second, 5)

    daemon = start()
    child = handle.pid("backoffice")
    daemon.kill()  # SIGKILL: supervisord cannot stop its children, the kernel tells them
    daemon.wait()
    assert gone_within(child, 10)
