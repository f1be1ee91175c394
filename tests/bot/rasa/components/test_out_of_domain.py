"""A message far from its intent's examples goes to out_of_scope; near ones and answers stay."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.assets.sentence_model import MINILM
from bot.rasa.components.out_of_domain import OutOfDomainGuard
from bot.rasa.components.sentence_features import SentenceEmbeddingFeaturizer

CONTEXT = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
CONFIG = {**OutOfDomainGuard.get_default_config(), "dense_featurizers": ["minilm"]}
TRAINING = {
    "ct_balance": ["how much council tax do i owe", "what's my council tax balance",
                   "is there anything left to pay on my council tax", "when is my next instalment"],
    "bin_day": ["when is my bin day", "when are my bins collected", "what day do the binmen come",
                "which bin goes out this week"],
    "bin_details": ["AN1 1AA", "flat 3", "number 4", "it's 12 beech court"],
    "out_of_scope": ["what's the weather like", "tell me a joke", "order a pizza"],
}


@pytest.fixture(scope="module")
def featurizer() -> SentenceEmbeddingFeaturizer:
    config = {**SentenceEmbeddingFeaturizer.get_default_config(),
              "model_path": str(MINILM.directory), "alias": "minilm"}
    return SentenceEmbeddingFeaturizer(config, "minilm")


@pytest.fixture(scope="module")
def guard(featurizer, tmp_path_factory) -> OutOfDomainGuard:  # type: ignore[no-untyped-def]
    storage = LocalModelStorage(tmp_path_factory.mktemp("guard"))
    resource = Resource("out_of_domain")
    examples = [Message({TEXT: text, INTENT: intent})
                for intent, texts in TRAINING.items() for text in texts]
    featurizer.process(examples)
    OutOfDomainGuard.create(CONFIG, storage, resource, CONTEXT).train(TrainingData(examples))
    return OutOfDomainGuard.load(CONFIG, storage, resource, CONTEXT)


def classified(featurizer: SentenceEmbeddingFeaturizer, guard: OutOfDomainGuard, text: str,
               intent: str) -> Message:
    message = Message({TEXT: text})
    featurizer.process([message])
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9},
                                     {"name": "out_of_scope", "confidence": 0.06},
                                     {"name": "greet", "confidence": 0.04}])
    return guard.process([message])[0]


@pytest.mark.parametrize(("text", "intent"), [
    ("what temperature should i roast a chicken at", "ct_balance"),
    ("has the flight from malaga landed", "bin_day"),
])
def test_a_message_far_from_its_intent_goes_out_of_scope(featurizer, guard, text, intent):
    message = classified(featurizer, guard, text, intent)
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 0.9}
    # The two confidences swap, so the fallback's ambiguity check sees the same margin.
    assert message.get(INTENT_RANKING_KEY)[:2] == [
        {"name": "out_of_scope", "confidence": 0.9}, {"name": intent, "confidence": 0.06}]


@pytest.mark.parametrize(("text", "intent"), [
    ("how much do i still owe on my council tax", "ct_balance"),
    ("what day are the bins emptied", "bin_day"),
    ("it's 3 church lane", "bin_details"),  # an answer to a form: the form judges it
    ("has the flight from malaga landed", "greet"),  # general chat is not guarded
])
def test_a_message_near_its_intent_or_unguarded_is_left_alone(featurizer, guard, text, intent):
    assert classified(featurizer, guard, text, intent).get(INTENT)["name"] == intent


def test_guard_needs_the_embeddings_to_compare(tmp_path):
    with pytest.raises(ValueError, match="dense_featurizers"):
        OutOfDomainGuard.create(OutOfDomainGuard.get_default_config(),
                                LocalModelStorage(tmp_path), Resource("x"), CONTEXT)
