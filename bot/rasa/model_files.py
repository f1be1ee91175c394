"""Where a trained model lives: named by a fingerprint of everything it is trained from."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from bot.rasa.assets.sentence_model import ENCODERS
from bot.settings import PROJECT_DIR, Settings

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


def data_fingerprint(project_dir: Path, spacy_model: str) -> str:
    """Hash of everything a model is trained from, so an identical model is never trained twice."""
    encoders = " ".join(sorted(wheel for encoder in ENCODERS for wheel in encoder.wheels))
    inputs = f"rasa {version('rasa')} spacy {spacy_model} {encoders}"
    digest = hashlib.sha256(inputs.encode())
    for name in TRAINING_INPUTS:
        path = project_dir / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(project_dir)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(settings: Settings, project_dir: Path = PROJECT_DIR) -> Path:
    fingerprint = data_fingerprint(project_dir, settings.spacy_model)
    return project_dir / settings.models_dir / f"council-{fingerprint}.tar.gz"
