"""Rasa featurizer: a sentence embedding of each message from a pretrained encoder.

Character and word counts only know the words seen in training; the embedding also
knows that "binmen never turned up" and "my bin wasn't emptied" mean much the same.
It runs a sentence-transformers encoder (bot.rasa.assets.sentence_model) in TensorFlow, which Rasa
already uses, with the mean pooling the encoder was trained with.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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

    def process(self, messages: list[Message]) -> list[Message]:
        return self._featurize(messages, self.embed)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        cache = self._training_cache
        self._featurize(training_data.training_examples,
                        (lambda texts: cache.embed(texts, self.embed)) if cache else self.embed)
        return training_data

    def _featurize(self, messages: list[Message],
                   embed: Callable[[list[str]], np.ndarray]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        vectors = embed([m.get(TEXT) for m in with_text])
        for message, vector in zip(with_text, vectors, strict=True):
            self.add_features_to_message(sequence=None, sentence=vector[None, :], attribute=TEXT,
                                         message=message)
        return messages
