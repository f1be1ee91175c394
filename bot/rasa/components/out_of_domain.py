"""An NLU component that sends a message far from every example of the intent it was given to
out_of_scope, so a bank, travel or recipe question gets the signpost, not a council journey.

The classifier shares all of its confidence among the intents it knows, so "why is my bank
account frozen" can come out as ct_balance at 0.9. Here each message's sentence embeddings
are compared with the training examples of the intent it was given: the similarity to its k
nearest examples (cosine, averaged over the encoders). Each intent's threshold is set at
training time from its own examples (a low quantile of each example's similarity to the rest
of its intent, leave-one-out), so a tight intent ("greet") and a broad one ("faq") are judged
each by its own spread. Below the threshold, out_of_scope takes the intent's place.

Form answers (`*_details`) and general chat are left alone: the forms judge their answers,
and a "yes" worded oddly must still answer the form's question.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

OUT_OF_SCOPE = "out_of_scope"
GENERAL_CHAT = frozenset({"greet", "goodbye", "thank_you", "affirm", "deny"})
JOURNEY_PREFIXES = ("bin_", "ct_")
JOURNEY_INTENTS = frozenset({"rough_sleeper_report", "homeless_self"})
EXAMPLES_FILE = "examples.npz"
THRESHOLDS_FILE = "thresholds.json"


def is_journey(intent: str) -> bool:
    """Intents whose rules start a council journey (a form, an account look-up, a report)."""
    return intent.startswith(JOURNEY_PREFIXES) or intent in JOURNEY_INTENTS


def is_guarded(intent: str) -> bool:
    return not (intent == OUT_OF_SCOPE or intent in GENERAL_CHAT or intent.endswith("_details"))


def similarities(vectors: list[np.ndarray], examples: list[np.ndarray]) -> np.ndarray:
    """Cosine similarity of each vector to each example, averaged over the encoders."""
    return np.mean([v @ e.T for v, e in zip(vectors, examples, strict=True)], axis=0)


def top_k_mean(similarities: np.ndarray, k: int) -> np.ndarray:
    k = min(k, similarities.shape[-1])
    return -np.mean(np.partition(-similarities, k - 1, axis=-1)[..., :k], axis=-1)


def nearest_similarity(vector: list[np.ndarray], examples: list[np.ndarray], of_intent: np.ndarray,
                       k: int) -> float:
    """Mean similarity of one message (one vector per encoder) to its intent's k nearest."""
    similar = similarities([v[None, :] for v in vector], [e[of_intent] for e in examples])[0]
    return float(top_k_mean(similar, k))


def thresholds_for(examples: list[np.ndarray], intents: np.ndarray, quantile: float,
                   k: int) -> dict[str, float]:
    """Per guarded intent: the `quantile` of its examples' leave-one-out nearest similarity."""
    thresholds = {}
    for intent in sorted(set(intents)):
        mask = intents == intent
        if not is_guarded(intent) or mask.sum() < 2:
            continue
        own = [e[mask] for e in examples]
        similar = similarities(own, own)
        np.fill_diagonal(similar, -np.inf)
        thresholds[intent] = float(np.quantile(top_k_mean(similar, k), quantile))
    return thresholds


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class OutOfDomainGuard(GraphComponent):
    """Replaces a guarded intent by out_of_scope when the message is far from its examples.

    Place it after the intent classifier and before FallbackClassifier. out_of_scope takes
    the confidence the intent had, and the intent takes out_of_scope's, so the fallback's
    threshold and ambiguity checks see the same figures as before.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # dense_featurizers: aliases of the sentence-embedding featurizers to compare on;
        # quantile: share of an intent's own examples that would fall below its threshold;
        # k: how many of the intent's nearest examples a message is compared with.
        return {"dense_featurizers": [], "quantile": 0.02, "k": 3}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 examples: list[np.ndarray], intents: np.ndarray,
                 thresholds: dict[str, float]) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._examples = examples
        self._intents = intents
        self._thresholds = thresholds

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> OutOfDomainGuard:
        if not config["dense_featurizers"]:
            raise ValueError("OutOfDomainGuard needs dense_featurizers (the embeddings' aliases)")
        return cls(config, model_storage, resource, [], np.array([]), {})

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> OutOfDomainGuard:
        with model_storage.read_from(resource) as directory:
            stored = np.load(directory / EXAMPLES_FILE)
            thresholds = json.loads((directory / THRESHOLDS_FILE).read_text())
            examples = [stored[alias] for alias in config["dense_featurizers"]]
            intents = stored["intents"]
        return cls(config, model_storage, resource, examples, intents, thresholds)

    def _vectors(self, message: Message) -> list[np.ndarray] | None:
        vectors = []
        for alias in self._config["dense_featurizers"]:
            dense = message.get_dense_features(attribute=TEXT, featurizers=[alias])[1]
            if dense is None:
                return None
            vectors.append(np.asarray(dense.features, dtype=np.float32).reshape(-1))
        return vectors

    def train(self, training_data: TrainingData) -> Resource:
        rows = [(m.get(INTENT), self._vectors(m)) for m in training_data.intent_examples
                if m.get(INTENT) and m.get(TEXT)]
        rows = [(intent, vectors) for intent, vectors in rows if vectors is not None]
        intents = np.array([intent for intent, _ in rows])
        examples = [np.vstack([vectors[n] for _, vectors in rows])
                    for n in range(len(self._config["dense_featurizers"]))]
        thresholds = thresholds_for(examples, intents, self._config["quantile"],
                                    self._config["k"])
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / EXAMPLES_FILE, intents=intents, **dict(
                zip(self._config["dense_featurizers"], examples, strict=True)))
            (directory / THRESHOLDS_FILE).write_text(json.dumps(thresholds, indent=1))
        self._examples, self._intents, self._thresholds = examples, intents, thresholds
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get("name")
            if name not in self._thresholds:
                continue
            vectors = self._vectors(message)
            if vectors is None:
                continue
            similarity = nearest_similarity(vectors, self._examples, self._intents == name,
                                            self._config["k"])
            if similarity < self._thresholds[name]:
                _replace_with_out_of_scope(message, intent)
        return messages


def _replace_with_out_of_scope(message: Message, intent: dict[str, Any]) -> None:
    ranking = message.get(INTENT_RANKING_KEY) or [intent]
    was_out_of_scope = next((r["confidence"] for r in ranking if r["name"] == OUT_OF_SCOPE), 0.0)
    swapped = {intent["name"]: was_out_of_scope, OUT_OF_SCOPE: intent["confidence"]}
    ranking = [{**r, "confidence": swapped.get(r["name"], r["confidence"])} for r in ranking]
    if OUT_OF_SCOPE not in {r["name"] for r in ranking}:
        ranking.append({"name": OUT_OF_SCOPE, "confidence": intent["confidence"]})
    ranking.sort(key=lambda r: -r["confidence"])
    message.set(INTENT, {"name": OUT_OF_SCOPE, "confidence": intent["confidence"]},
                add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
