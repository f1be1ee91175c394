"""Gibberish is handed to the fallback; answers inside journeys are left to the forms."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.components.unknown_words import UnknownWordsGuard

TRAINING = {"when is my bin day": "bin_day", "stop": "stop", "cancel that": "stop"}


def tokenised(*texts: str, intent: str | None = None) -> list[Message]:
    messages = [Message({TEXT: text, **({INTENT: intent} if intent else {})}) for text in texts]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    return messages


@pytest.fixture
def guard(tmp_path) -> UnknownWordsGuard:  # type: ignore[no-untyped-def]
    storage = LocalModelStorage(tmp_path)
    resource = Resource("unknown_words")
    context = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
    trained = UnknownWordsGuard.create({}, storage, resource, context)
    examples = [m for text, intent in TRAINING.items() for m in tokenised(text, intent=intent)]
    trained.train(TrainingData(examples))
    return UnknownWordsGuard.load({}, storage, resource, context)


def confidence_after(guard: UnknownWordsGuard, text: str) -> float:
    [message] = tokenised(text)
    message.set(INTENT, {"name": "stop", "confidence": 0.97})
    return guard.process([message])[0].get(INTENT)["confidence"]


@pytest.mark.parametrize("text", ["zxqv blorp wibble", "asdf qwer!"])
def test_gibberish_loses_its_confidence(guard, text):
    assert confidence_after(guard, text) == 0.0


@pytest.mark.parametrize("text", [
    "stop", "cancel it", "okonkwo",  # a known word, or one word on its own (a surname)
    "AN1 1AA", "123 456 789",  # postcodes and account numbers
    "/stop",  # a button's intent command
])
def test_answers_and_known_words_are_left_alone(guard, text):
    assert confidence_after(guard, text) == 0.97
