"""Training examples' sentence vectors, kept on disk from one training to the next.

`make model`, the held-out report and every editor's publish train on almost the same
examples, and encoding a few thousand of them with a transformer is the slowest step of a
training. Only training examples (text the project wrote) are stored here: messages from
residents are encoded when they arrive and never written down.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

VECTOR_TYPE = np.float64  # what the encoder's pooling gives, so kept vectors are the same numbers


def encoder_identity(model_path: str, max_tokens: int) -> str:
    """Changes when the encoder's weights, its tokenizer or the cut-off length change."""
    folder = Path(model_path)
    digest = hashlib.sha256(str(max_tokens).encode())
    for name in ("config.json", "tokenizer.json"):
        digest.update((folder / name).read_bytes())
    digest.update(str((folder / "model.safetensors").stat().st_size).encode())
    return f"{folder.name}:{digest.hexdigest()[:16]}"


class EmbeddingCache:
    """One SQLite file; several trainings may read and add to it at once."""

    def __init__(self, path: Path, encoder: str) -> None:
        self._path = path
        self._encoder = encoder

    def _connect(self) -> sqlite3.Connection:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._path, timeout=60)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE IF NOT EXISTS vectors (encoder TEXT NOT NULL, "
                           "text TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (encoder, text))")
        return connection

    def embed(self, texts: list[str], compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The vector of each text, computing (and keeping) only the ones not seen before."""
        if not texts:
            return compute(texts)
        with self._connect() as connection:
            known = self._known(connection, set(texts))
            missing = sorted(set(texts) - known.keys())
            if missing:
                computed = compute(missing).astype(VECTOR_TYPE)
                connection.executemany(
                    "INSERT OR IGNORE INTO vectors (encoder, text, vector) VALUES (?, ?, ?)",
                    [(self._encoder, text, vector.tobytes())
                     for text, vector in zip(missing, computed, strict=True)])
                known.update(zip(missing, computed, strict=True))
        return np.vstack([known[text] for text in texts])

    def _known(self, connection: sqlite3.Connection, texts: set[str]) -> dict[str, np.ndarray]:
        rows = connection.execute("SELECT text, vector FROM vectors WHERE encoder = ?",
                                  (self._encoder,))
        return {text: np.frombuffer(blob, dtype=VECTOR_TYPE)
                for text, blob in rows if text in texts}
