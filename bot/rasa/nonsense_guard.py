"""Rasa NLU component: a message made only of words never seen in training is nonsense, not a greeting.

The intent classifier always picks some intent, and keyboard mash or made-up words ("blorp zingo
quaxx") share character n-grams with the short conversation examples, so such
a message could be greeted or thanked. Which way it falls changed between
retrains of the same data. This guard makes the answer a rule instead: when the
classifier chose one of the configured conversation intents and not one word
of the message occurs in the training examples, nor is one letter more or less
than a word that does (a typed "heyy" or "thnks" is still a greeting or
thanks), the intent becomes ``gibberish`` (answered like a message not
understood).

Question intents are left alone: a one-word misspelling of a subject
("sciatcia") is better answered by the character n-grams than asked to be
rephrased. Put it after FallbackClassifier and before RedFlagComponent, which
still overrides any intent when it finds an emergency or urgent flag.
The vocabulary is taken from the training data at train time and stored in
the model, so the server needs no data/ directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.dialogue import NONSENSE_INTENT
from bot.core.entities import words
from bot.rasa.intent_override import override_intent

VOCABULARY_FILE = "vocabulary.json"
# shorter words are matched exactly: one letter off a two- or three-letter word is another word
MIN_FUZZY_LENGTH = 4


def _one_letter_less(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NonsenseGuard(GraphComponent, IntentClassifier):
    """Turns a conversation intent into ``gibberish`` when the message has no word the training data has."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # the short conversation intents that made-up words land on
        return {"intents": ["greet", "goodbye", "thanks", "affirm", "deny", "out_of_scope"]}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NonsenseGuard":
        return cls(config, model_storage, resource)

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: FrozenSet[str] = frozenset(),
    ) -> None:
        self.intents = frozenset({**self.get_default_config(), **(config or {})}["intents"])
        self._learn(vocabulary)
        self._model_storage, self._resource = model_storage, resource

    def train(self, training_data: TrainingData) -> Resource:
        self._learn(
            frozenset(
                w
                for example in training_data.intent_examples
                if example.get(INTENT) != NONSENSE_INTENT
                for w in words(example.get(TEXT) or "")
            )
        )
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "NonsenseGuard":
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((Path(directory) / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, frozenset(vocabulary))

    def _learn(self, vocabulary: FrozenSet[str]) -> None:
        self.vocabulary = vocabulary
        self._one_letter_less = frozenset(
            short for w in vocabulary if len(w) > MIN_FUZZY_LENGTH for short in _one_letter_less(w)
        )

    def is_nonsense(self, text: str, intent: Optional[str]) -> bool:
        """A conversation intent for a text none of whose words were ever seen (an empty vocabulary guards nothing)."""
        found = words(text)
        return (
            intent in self.intents
            and bool(self.vocabulary)
            and bool(found)
            and not text.lstrip().startswith(INTENT_MESSAGE_PREFIX)
            and not any(self._is_known(w) for w in found)
        )

    def _is_known(self, word: str) -> bool:
        """Seen, or one letter more or less than a seen word of four letters or more ("heyy", "thnks")."""
        if word in self.vocabulary:
            return True
        if len(word) < MIN_FUZZY_LENGTH:
            return False
        return word in self._one_letter_less or any(w in self.vocabulary for w in _one_letter_less(word))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if self.is_nonsense(message.get(TEXT) or "", intent):
                override_intent(message, NONSENSE_INTENT)
        return messages
