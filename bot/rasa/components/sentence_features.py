"""Rasa featurizer: a sentence embedding of each message from a pretrained encoder.

Character and word counts only know the words seen in training; the embedding also
knows that "binmen never turned up" and "my bin wasn't emptied" mean much the same.
It runs a sentence-transformers encoder (bot.rasa.assets.sentence_model) in TensorFlow, which Rasa
already uses, with the mean pooling the encoder was trained with.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.assets.sentence_model import PROJECT_VAR
from bot.rasa.components.embedding_cache import EmbeddingCache, encoder_identity

MAX_TOKENS = 64  # residents' messages are short; longer ones are cut, not rejected
BATCH_SIZE = 64
TRAINING_VECTORS = PROJECT_VAR / "embedding-cache.sqlite3"
# Residents send the same short texts again and again ("yes", "no", "thanks", a postcode, a
# button's UPRN): each encoder keeps the vectors of this many recent texts (0: none), as a
# digest, so no resident's words stay in memory. Set by RASA_FEATURE_CACHE_SIZE.
DEFAULT_CACHE_SIZE = 4096


class VectorCache:
    """The vectors of the most recently seen texts, keyed by the text's digest."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode(), digest_size=16).digest()

    def get(self, key: bytes) -> np.ndarray | None:
        vector = self._vectors.get(key)
        if vector is not None:
            self._vectors.move_to_end(key)
        return vector

    def put(self, key: bytes, vector: np.ndarray) -> None:
        if self.size <= 0:
            return
        vector.setflags(write=False)  # what a message gets is a copy; this stays as computed
        self._vectors[key] = vector
        self._vectors.move_to_end(key)
        while len(self._vectors) > self.size:
            self._vectors.popitem(last=False)


def cache_size() -> int:
    value = os.environ.get("RASA_FEATURE_CACHE_SIZE", "")
    return int(value) if value.strip() else DEFAULT_CACHE_SIZE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one dense sentence feature (the normalised mean of the encoder's token states)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # keep_training_vectors: training examples' vectors are kept in var/ between trainings
        # (bot.rasa.components.embedding_cache). Residents' messages are never written there.
        return {**DenseFeaturizer.get_default_config(), "model_path": None,
                "keep_training_vectors": True}

    @staticmethod
    def required_packages() -> list[str]:
        return ["transformers", "tensorflow"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        import tensorflow as tf
        from transformers import AutoTokenizer, TFAutoModel
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # not "weights converted from PyTorch" at start

        model_path = self._config["model_path"]
        if not model_path or not os.path.isdir(model_path):
            raise ValueError(
                f"sentence model folder not found: {model_path!r} (run `make install`)")
        self._tokenizer = AutoTokenizer.from_pretrained(model_path)
        encoder = TFAutoModel.from_pretrained(model_path)
        # A compiled graph answers a message in a fraction of the time eager execution takes.
        ids = tf.TensorSpec([None, None], tf.int32)
        self._encode = tf.function(
            lambda input_ids, attention_mask: encoder(
                input_ids=input_ids, attention_mask=attention_mask).last_hidden_state,
            input_signature=[ids, ids])
        self.embed(["warm up"])  # the graph is traced now, not on a resident's first message
        self._training_cache = EmbeddingCache(
            TRAINING_VECTORS, encoder_identity(model_path, MAX_TOKENS)
        ) if self._config["keep_training_vectors"] else None
        self._cache = VectorCache(cache_size())

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check beyond the model folder, which __init__ checks when it loads it."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit-length vector per text."""
        batches = []
        for start in range(0, len(texts), BATCH_SIZE):
            encoded = self._tokenizer(texts[start:start + BATCH_SIZE], padding=True,
                                      truncation=True, max_length=MAX_TOKENS, return_tensors="np")
            mask = encoded["attention_mask"].astype(np.int32)
            states = self._encode(encoded["input_ids"].astype(np.int32), mask).numpy()
            mask = mask[..., None]
            pooled = (states * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            batches.append(pooled / np.maximum(norms, 1e-9))
        return np.vstack(batches) if batches else np.zeros((0, 0))

    def embed_each(self, texts: list[str]) -> list[np.ndarray]:
        """One vector per text, each computed on its own (as a resident's message is), or the
        same vector again from the cache."""
        vectors = []
        for text in texts:
            key = self._cache.key(text)
            vector = self._cache.get(key)
            if vector is None:
                vector = self.embed([text])[0]
                self._cache.put(key, vector)
            vectors.append(vector)
        return vectors

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        self._add(with_text, self.embed_each([m.get(TEXT) for m in with_text]))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        with_text = [m for m in training_data.training_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in with_text]
        cache = self._training_cache
        vectors = cache.embed(texts, self.embed) if cache else self.embed(texts)
        self._add(with_text, list(vectors))
        return training_data

    def _add(self, messages: list[Message], vectors: list[np.ndarray]) -> None:
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(sequence=None, sentence=vector[None, :].copy(),
                                         attribute=TEXT, message=message)
