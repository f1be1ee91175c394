"""An NLU component that marks a message made only of words never seen in training as not
understood, so the fallback takes it.

The intent classifier shares all of its confidence among the intents it knows, so gibberish
("zxqv blorp", "asdf qwer") can come out as `stop` or `out_of_scope` at 0.99 and end a journey.
Messages with a digit, one word on its own (a surname, a street) or a "/" command are left
alone: they are answers inside journeys that the forms judge for themselves.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

VOCABULARY_FILE = "vocabulary.json"


def words(message: Message) -> list[str]:
    return [token.text.lower() for token in message.get(TOKENS_NAMES[TEXT]) or []
            if token.text.isalpha()]


def is_gibberish(message: Message, vocabulary: set[str]) -> bool:
    text = message.get(TEXT) or ""
    if text.startswith("/") or any(ch.isdigit() for ch in text):
        return False
    found = words(message)
    return len(found) >= 2 and not any(word in vocabulary for word in found)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    """Sets the intent's confidence to 0 for gibberish; place it before FallbackClassifier."""

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 vocabulary: set[str]) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._vocabulary = vocabulary

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsGuard:
        return cls(model_storage, resource, set())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsGuard:
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text())
        return cls(model_storage, resource, set(vocabulary))

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = sorted({word for example in training_data.intent_examples
                             for word in words(example)})
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(vocabulary))
        self._vocabulary = set(vocabulary)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent and is_gibberish(message, self._vocabulary):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
        return messages
