"""Out-of-domain defences compared by cross-validation, outside Rasa (minutes, not an hour).

Every example in data/nlu/ is embedded once with the project's two encoders and cached in
var/ood_embeddings.npz. The classifier is rebuilt with scikit-learn the way
bot/rasa/components/intent_classifier.py builds it (damped word and character counts plus the
two embeddings, each scaled to unit length; logistic regression, C=100, balanced classes),
then each defence is scored on 3 stratified folds:

- baseline: the classifier trained on the examples as they were (old out_of_scope only);
- distance: the baseline plus a per-intent distance check in embedding space;
- negatives: the classifier trained with the new out-of-domain examples as well;
- both: negatives plus the distance check.

Out-of-domain figures come from the out_of_scope examples in the test fold (old and new).
The held_* columns are each variant fitted on all examples and read on tests/nlu/'s sets
(reported only: the settings are chosen on the folds).
Run: python -m scripts.ood_experiment
"""

from __future__ import annotations

import sys

import numpy as np
from rasa.shared.nlu.training_data.loading import load_data
from scipy.sparse import hstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

from bot.rasa.assets.sentence_model import ENCODERS
from bot.rasa.components.out_of_domain import (
    GENERAL_CHAT,
    is_journey,
    similarities,
    thresholds_for,
    top_k_mean,
)
from bot.settings import PROJECT_DIR

CACHE = PROJECT_DIR / "var" / "ood_embeddings.npz"
HELD_OUT = PROJECT_DIR / "tests" / "nlu"
NEW_NEGATIVES = PROJECT_DIR / "data" / "nlu" / "out_of_domain.yml"
FALLBACK_THRESHOLD, AMBIGUITY = 0.55, 0.1  # config.yml's FallbackClassifier


def examples() -> tuple[list[str], list[str], np.ndarray]:
    """Texts, intents (faq/* as faq, as the classifier sees them), and which are new negatives."""
    data = load_data(str(PROJECT_DIR / "data" / "nlu"))
    new = {m.get("text") for m in load_data(str(NEW_NEGATIVES)).intent_examples}
    rows = [(m.get("text"), m.get("intent").split("/")[0]) for m in data.intent_examples]
    texts, intents = [r[0] for r in rows], [r[1] for r in rows]
    return texts, intents, np.array([i == "out_of_scope" and t in new for t, i in rows])


def embeddings(texts: list[str]) -> list[np.ndarray]:
    """Both encoders' vectors for the texts; texts embedded before are read from the cache."""
    from bot.rasa.components.sentence_features import SentenceEmbeddingFeaturizer

    known: dict[str, list[np.ndarray]] = {}
    if CACHE.exists():
        cached = dict(np.load(CACHE))
        known = {t: [cached[e.env_var][n] for e in ENCODERS]
                 for n, t in enumerate(cached["texts"])}
    missing = sorted(set(texts) - set(known))
    if missing:
        for encoder in ENCODERS:
            config = {**SentenceEmbeddingFeaturizer.get_default_config(),
                      "model_path": str(encoder.directory)}
            featurizer = SentenceEmbeddingFeaturizer(config, encoder.env_var)
            for text, vector in zip(missing, featurizer.embed(missing), strict=True):
                known.setdefault(text, []).append(vector)
        every = sorted(known)
        np.savez(CACHE, texts=np.array(every), **{
            e.env_var: np.vstack([known[t][n] for t in every]) for n, e in enumerate(ENCODERS)})
    return [np.vstack([known[t][n] for t in texts]) for n in range(len(ENCODERS))]


class Classifier:
    """The project's classifier rebuilt on precomputed embeddings."""

    def fit(self, texts: list[str], dense: list[np.ndarray], y: list[str]) -> Classifier:
        self.words = CountVectorizer(token_pattern=r"(?u)\b\w+\b").fit(texts)
        self.chars = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4)).fit(texts)
        self.clf = LogisticRegression(C=100, max_iter=5000, class_weight="balanced")
        self.clf.fit(self.features(texts, dense), y)
        return self

    def features(self, texts: list[str], dense: list[np.ndarray]):
        counts = hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        counts.data = np.log1p(counts.data)
        return hstack([normalize(counts), *[normalize(d) for d in dense]]).tocsr()

    def predict(self, texts: list[str], dense: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        probas = self.clf.predict_proba(self.features(texts, dense))
        order = np.argsort(-probas, axis=1)
        top = probas[np.arange(len(texts)), order[:, 0]]
        second = probas[np.arange(len(texts)), order[:, 1]]
        names = self.clf.classes_[order[:, 0]].astype(object)
        names[(top < FALLBACK_THRESHOLD) | (top - second < AMBIGUITY)] = "nlu_fallback"
        return names, self.clf.classes_[order[:, 0]]


FOLDS = 3
SETTINGS = [(q, k) for q in (0.01, 0.02, 0.05, 0.10) for k in (1, 3, 5)]


def run() -> dict[tuple, dict[str, float]]:
    """Each variant's figures; the guard's settings (quantile, k) share one fit per fold."""
    texts, intents, new = examples()
    dense = embeddings(texts)
    y = np.array(intents)
    ood = y == "out_of_scope"
    found: dict[tuple, list] = {}
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=42).split(texts, y):
        for negatives in (False, True):
            fit_on = train if negatives else train[~new[train]]
            fit_dense = [d[fit_on] for d in dense]
            model = Classifier().fit([texts[i] for i in fit_on], fit_dense, list(y[fit_on]))
            names, raw = model.predict([texts[i] for i in test], [d[test] for d in dense])
            variant = "negatives" if negatives else "baseline"
            print(f"fold fitted ({variant})", file=sys.stderr, flush=True)
            found.setdefault((variant,), []).extend(zip(test, names, strict=True))
            similar = similarities([d[test] for d in dense], fit_dense)
            for quantile, k in SETTINGS:
                limits = thresholds_for(fit_dense, y[fit_on], quantile, k)
                guarded = names.copy()
                for intent, limit in limits.items():
                    nearest = top_k_mean(similar[:, y[fit_on] == intent], k)
                    far = (raw == intent) & (names != "nlu_fallback") & (nearest < limit)
                    guarded[far] = "out_of_scope"
                variant = "both" if negatives else "distance"
                found.setdefault((variant, quantile, k), []).extend(zip(test, guarded,
                                                                        strict=True))
    return {key: score(rows, y, ood, new) for key, rows in found.items()}


def held_out() -> dict[tuple, dict[str, float]]:
    """Each variant fitted on every example, read on the held-out sets of tests/nlu/."""
    texts, intents, new = examples()
    y = np.array(intents)
    ood = [m.get("text") for m in load_data(str(HELD_OUT / "held_out_out_of_domain.yml"))
           .intent_examples]
    chat = {m.get("text"): m.get("intent") for m in load_data(
        str(HELD_OUT / "held_out_general_chat.yml")).intent_examples}
    read = ood + list(chat)
    dense, read_dense = embeddings(texts), embeddings(read)
    is_ood = np.arange(len(read)) < len(ood)
    truth = np.array(["out_of_scope"] * len(ood) + list(chat.values()))
    found = {}
    for negatives in (False, True):
        fit_on = np.arange(len(texts)) if negatives else np.flatnonzero(~new)
        fit_dense = [d[fit_on] for d in dense]
        model = Classifier().fit([texts[i] for i in fit_on], fit_dense, list(y[fit_on]))
        names, raw = model.predict(read, read_dense)
        found[("negatives" if negatives else "baseline",)] = names
        similar = similarities(read_dense, fit_dense)
        for quantile, k in SETTINGS:
            guarded = names.copy()
            for intent, limit in thresholds_for(fit_dense, y[fit_on], quantile, k).items():
                nearest = top_k_mean(similar[:, y[fit_on] == intent], k)
                guarded[(raw == intent) & (names != "nlu_fallback") & (nearest < limit)] = \
                    "out_of_scope"
            found[("both" if negatives else "distance", quantile, k)] = guarded
    return {key: {
        "held_ood_starts": np.mean([is_journey(n) for n in names[is_ood]]),
        "held_chat_acc": np.mean(names[~is_ood] == truth[~is_ood]),
    } for key, names in found.items()}


def score(rows: list, y: np.ndarray, ood: np.ndarray, new: np.ndarray) -> dict[str, float]:
    got = dict(rows)
    index = np.array(sorted(got))
    predicted = np.array([got[i] for i in index])
    truth = y[index]
    in_domain = ~ood[index]
    journeys = np.array([is_journey(t) for t in truth])
    chat = np.isin(truth, list(GENERAL_CHAT))
    starts = np.array([is_journey(p) for p in predicted])
    return {
        "ood_starts": starts[~in_domain].mean(),
        "new_ood_starts": starts[new[index]].mean(),
        "in_domain_acc": (predicted == truth)[in_domain].mean(),
        "journey_recall": (predicted == truth)[journeys].mean(),
        "chat_acc": (predicted == truth)[chat].mean(),
        "in_domain_to_oos": (predicted == "out_of_scope")[in_domain].mean(),
    }


def main() -> int:
    results = run()
    for key, figures in held_out().items():
        results[key].update(figures)
    columns = list(next(iter(results.values())))
    print("guard: threshold = quantile of each intent's leave-one-out similarity to its k nearest")
    print(f"{'variant':<10} {'quantile':>8} {'k':>2} " + " ".join(f"{c[:14]:>14}" for c in columns))
    for key, figures in sorted(results.items(), key=lambda kv: (kv[0][0], kv[0][1:])):
        variant, quantile, k = (*key, "", "")[:3]
        print(f"{variant:<10} {quantile!s:>8} {k!s:>2} "
              + " ".join(f"{figures[c]:>14.3f}" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
