"""Training vectors kept between trainings: only unseen texts are encoded again."""

from __future__ import annotations

import numpy as np

from bot.rasa.components.embedding_cache import EmbeddingCache


class CountingEncoder:
    """A stand-in for the transformer: one deterministic vector per text, calls recorded."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return np.array([[len(text), sum(map(ord, text))] for text in texts], dtype=np.float64)


def test_a_second_training_encodes_only_the_new_examples(tmp_path):
    path = tmp_path / "vectors.sqlite3"
    first = CountingEncoder()
    vectors = EmbeddingCache(path, "minilm:abc").embed(["bin day", "pay", "bin day"], first)
    assert sorted(first.encoded) == ["bin day", "pay"]  # each text once
    assert vectors.tolist() == first(["bin day", "pay", "bin day"]).tolist()

    second = CountingEncoder()
    again = EmbeddingCache(path, "minilm:abc").embed(["pay", "missed bin", "bin day"], second)
    assert second.encoded == ["missed bin"]
    assert again.tolist() == second(["pay", "missed bin", "bin day"]).tolist()


def test_another_encoder_never_reads_these_vectors(tmp_path):
    path = tmp_path / "vectors.sqlite3"
    EmbeddingCache(path, "minilm:abc").embed(["bin day"], CountingEncoder())
    other = CountingEncoder()
    EmbeddingCache(path, "mpnet:def").embed(["bin day"], other)
    assert other.encoded == ["bin day"]


def test_nothing_to_encode(tmp_path):
    encoder = CountingEncoder()
    assert EmbeddingCache(tmp_path / "v.sqlite3", "e").embed([], encoder).shape[0] == 0
