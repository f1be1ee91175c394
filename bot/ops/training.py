"""Trains a Rasa model only when none matches the current config, domain and training data."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot.rasa.environment import child_env, rasa_command
from bot.rasa.model_files import model_path
from bot.settings import PROJECT_DIR, Settings


def train_if_needed(settings: Settings, force: bool = False) -> tuple[Path, bool]:
    """Returns the model for the current data and whether it was trained now."""
    target = model_path(settings)
    if target.exists() and not force:
        os.utime(target)  # `rasa run --model models/` loads the newest file
        return target, False
    command = rasa_command(
        "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
        "--out", str(target.parent), "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    )
    subprocess.run(command, env=child_env(settings), cwd=PROJECT_DIR, check=True)
    return target, True
