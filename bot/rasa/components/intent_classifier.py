"""Rasa intent classifier: logistic regression over the message's sentence features.

Rasa's own LogisticRegressionClassifier, with the inputs scaled so that neither kind of
feature drowns the other: the n-gram counts are damped (log(1 + count)) and scaled to
unit length, and so is each sentence embedding, the only dense features read
(spaCy's small model has no real word vectors). The regularisation C is settable, where
Rasa fixes it at 1. On cross-validation this beats both DIET's intent head and Rasa's
classifier on raw counts for this assistant's small training set.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.preprocessing import normalize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ScaledLogisticRegressionClassifier(LogisticRegressionClassifier):

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # dense_featurizers: the aliases of the dense featurizers to read (all when empty)
        return {**LogisticRegressionClassifier.get_default_config(),
                "max_iter": 5000, "C": 100.0, "dense_featurizers": []}

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self.clf.set_params(C=self.config["C"])

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        rows = []
        # Each embedding is scaled on its own, so each weighs as much as the n-gram counts.
        dense_groups: list[list[str] | None] = [
            [alias] for alias in self.config["dense_featurizers"]] or [None]
        for message in messages:
            sparse = message.get_sparse_features(attribute=TEXT)[1]
            counts = csr_matrix(sparse.features if sparse else [], dtype=float)
            counts.data = np.log1p(counts.data)
            parts = [normalize(counts)]
            for featurizers in dense_groups:
                dense = message.get_dense_features(attribute=TEXT, featurizers=featurizers)[1]
                parts.append(normalize(csr_matrix(dense.features if dense else [])))
            rows.append(hstack(parts))
        return vstack(rows)
