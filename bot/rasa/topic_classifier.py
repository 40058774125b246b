"""The intent classifier: bot.rasa.topic_model inside Rasa's pipeline.

Trains on every intent example, with the labels split by the value an
entity-routed intent routes by (bot.core.topics.label_for): from the example's
own annotation, or, for a question corpus message that names nothing of its
kind ("will it lift me spirits", a mood question), from the `topic` its
author gave it, kept in the example's metadata by `make nlu-corpus`.

At run time it sets the intent and the intent ranking as DIET did (label
probabilities summed by intent, so FallbackClassifier and the clarifying
question see intents), and, when the best label routes by a value that the
message's words do not name, adds that value as an entity: "a decent night's
kip" becomes ask_benefit with benefit=sleep. A value the words name is found
by the dialogue itself (bot.core.dialogue), so the words win over the guess.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    METADATA,
    METADATA_INTENT,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.entities import find_in_text, normalise
from bot.core.topics import Label, label_for, read_label, routes
from bot.rasa.topic_model import TopicModel, TopicModelSettings

EXTRACTOR_NAME = "TopicClassifier"


def settings_from(config: Dict[str, Any]) -> TopicModelSettings:
    return TopicModelSettings(
        word_ngrams=tuple(config["word_ngrams"]),
        char_ngrams=tuple(config["char_ngrams"]),
        min_df=int(config["min_df"]),
        c=float(config["c"]),
        max_iter=int(config["max_iter"]),
    )


def example_label(example: Message) -> Label:
    """What one training example teaches: its intent, split by the value it names or its author's topic."""
    intent = example.get(INTENT)
    route = routes().get(intent)
    if route is None or not route.entity:
        return Label(intent)
    named: dict[str, list[str]] = defaultdict(list)
    for entity in example.get(ENTITIES) or []:
        value = normalise(entity[ENTITY_ATTRIBUTE_TYPE], str(entity.get(ENTITY_ATTRIBUTE_VALUE, "")))
        if value:
            named[entity[ENTITY_ATTRIBUTE_TYPE]].append(value)
    topic = ((example.get(METADATA) or {}).get(METADATA_INTENT) or {}).get("topic")
    if topic and not named[route.entity] and topic.startswith(f"{route.prefix}."):
        named[route.entity].append(topic.split(".", 1)[1])
    return label_for(intent, named)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicClassifier(GraphComponent, IntentClassifier):
    """Sets the intent, its ranking, and the routed value the words leave unnamed."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        defaults = TopicModelSettings()
        return {
            "word_ngrams": list(defaults.word_ngrams),
            "char_ngrams": list(defaults.char_ngrams),
            "min_df": defaults.min_df,
            "c": defaults.c,
            "max_iter": defaults.max_iter,
            "ranking_length": 10,
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TopicClassifier":
        return cls(config, model_storage, resource)

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **(config or {})}
        self.settings = settings_from(self.config)
        self.model: Optional[TopicModel] = None
        self._readings: dict[str, Label] = {}  # each label of the model, read once (not once a message)
        self._model_storage, self._resource = model_storage, resource

    def _use(self, model: TopicModel) -> None:
        self.model = model
        self._readings = {label: read_label(label) for label in model.labels}

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        self._use(
            TopicModel.fit([e.get(TEXT) for e in examples], [str(example_label(e)) for e in examples], self.settings)
        )
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(Path(directory))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TopicClassifier":
        classifier = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            classifier._use(TopicModel.load(Path(directory), classifier.settings))
        return classifier

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            ranked = self.model.rank(text)
            by_intent: dict[str, float] = defaultdict(float)
            for label, probability in ranked:
                by_intent[self._readings[label].intent] += probability
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in sorted(by_intent.items(), key=lambda item: -item[1])
            ][: self.config["ranking_length"]]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # the best label of the best intent: its value, if any, is what that intent asks about
            best, confidence = next(
                (lb, p) for lb, p in ranked if self._readings[lb].intent == ranking[0][INTENT_NAME_KEY]
            )
            guessed = self._readings[best]
            if guessed.entity and guessed.value and not find_in_text(guessed.entity, text):
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: guessed.entity,
                    ENTITY_ATTRIBUTE_VALUE: guessed.value,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                    EXTRACTOR: EXTRACTOR_NAME,
                    ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: confidence,
                }
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
