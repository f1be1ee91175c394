"""What the bench loads: bare Rasa's `rasa init` assistant, and the project's own stack."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.ops.stack import free_port, loopback_settings, running, wait_until_ready
from bot.rasa.environment import child_env, rasa_command
from bot.settings import PROJECT_DIR, Settings

# Trained once, then reused by every bench run (`make clean` removes it).
ANCHOR_DIR = PROJECT_DIR / "var" / "bench" / "anchor"
TRAIN_TIMEOUT_SECONDS = 1800
START_SECONDS = 900  # a busy shared machine loads a model slowly
# Residents all come from 127.0.0.1 here: the per-address and per-chat limits would cap the
# load test itself.
UNLIMITED = "1000000/minute"


def anchor_model() -> Path:
    """The models folder of `rasa init`'s assistant, trained on first use."""
    models = ANCHOR_DIR / "models"
    if any(models.glob("*.tar.gz")):
        return models
    shutil.rmtree(ANCHOR_DIR, ignore_errors=True)
    ANCHOR_DIR.mkdir(parents=True)
    print("Training bare Rasa's `rasa init` assistant once (a few minutes)...", flush=True)
    with (ANCHOR_DIR.parent / "anchor-train.log").open("w") as log:
        subprocess.run(rasa_command("init", "--no-prompt", "--init-dir", "."), cwd=ANCHOR_DIR,
                       env=child_env(_anchor_settings()), stdout=log, stderr=subprocess.STDOUT,
                       timeout=TRAIN_TIMEOUT_SECONDS, check=True)
    return models


def _anchor_settings() -> Settings:
    # Bare Rasa: none of the project's changes to how Rasa runs (bot/rasa/nlu_thread.py).
    return loopback_settings(ANCHOR_DIR.parent / "anchor-var", ANCHOR_DIR / "models",
                             rasa_nlu_thread=False)


@contextmanager
def anchor(log_dir: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """Bare Rasa on its REST channel (no token, no actions, in-memory tracker): URL, PIDs."""
    models = anchor_model()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = rasa_command("run", "--model", str(models), "--enable-api", "--interface",
                           "127.0.0.1", "--port", str(port), "--credentials", "credentials.yml")
    with (log_dir / "anchor-rasa.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ANCHOR_DIR, env=child_env(_anchor_settings()),
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(f"{url}/status", lambda r: r.ok and bool(r.json().get("model_file")),
                             process, log_dir / "anchor-rasa.log", START_SECONDS)
            yield url, {"rasa": process.pid}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def bench_settings(var_dir: Path, speed_ups: bool = True) -> Settings:
    """Rate limits off; `speed_ups=False`: no feature cache and NLU on the event loop, as
    before bench-driven changes, to compare in one run."""
    switches: dict[str, object] = {} if speed_ups else {
        "rasa_feature_cache_size": 0, "rasa_nlu_thread": False}
    return loopback_settings(
        var_dir, PROJECT_DIR / "models", chat_rate_per_address=UNLIMITED,
        chat_rate_per_conversation=UNLIMITED, new_conversation_rate_per_address=UNLIMITED,
        **switches)


@contextmanager
def project(settings: Settings, log_dir: Path) -> Iterator[dict[str, int]]:
    """The whole stack, each process once: back office, action server, Rasa and gateway."""
    with running(settings, {"backoffice", "actions", "rasa", "gateway"}, log_dir,
                 START_SECONDS) as pids:
        yield pids
