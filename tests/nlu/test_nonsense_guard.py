"""The nonsense guard: made-up words are never greeted, whatever intent the classifier chose for them."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nonsense_guard import NonsenseGuard


def message(text: str, intent: str, confidence: float = 0.8) -> Message:
    msg = Message(data={"text": text})
    msg.set("intent", {"name": intent, "confidence": confidence})
    msg.set("intent_ranking", [{"name": intent, "confidence": confidence}, {"name": "thanks", "confidence": 0.1}])
    return msg


@pytest.fixture
def trained(tmp_path) -> tuple[LocalModelStorage, Resource]:
    storage, resource = LocalModelStorage(tmp_path), Resource("nonsense_guard")
    examples = [
        Message(data={"text": "hello there", "intent": "greet"}),
        Message(data={"text": "thanks", "intent": "thanks"}),
        Message(data={"text": "what is sciatica", "intent": "ask_condition"}),
        Message(data={"text": "blorp zingo", "intent": "gibberish"}),
    ]
    NonsenseGuard.create({}, storage, resource, execution_context=None).train(TrainingData(examples))
    return storage, resource


@pytest.fixture
def guard(trained) -> NonsenseGuard:
    return NonsenseGuard.load({}, *trained, execution_context=None)


def test_the_vocabulary_is_the_training_words_but_those_of_nonsense_examples(guard):
    assert guard.vocabulary == {"hello", "there", "thanks", "what", "is", "sciatica"}


def test_unseen_words_taken_for_a_greeting_become_gibberish_first_in_the_ranking(guard):
    msg = message("blorp zingo quaxx", "greet")
    guard.process([msg])
    assert msg.get("intent") == {"name": "gibberish", "confidence": 1.0}
    assert [r["name"] for r in msg.get("intent_ranking")] == ["gibberish", "greet", "thanks"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hello quaxx", "greet"),  # one seen word is enough
        ("helo", "greet"),  # a letter missing
        ("thankss", "thanks"),  # a letter too many
        ("sciatcia", "ask_condition"),  # a question intent keeps its guess
        ('/ask_topic{"topic":"chat.greet"}', "greet"),  # a button payload
        ("???", "greet"),  # no words at all
    ],
)
def test_messages_it_leaves_alone(guard, text, intent):
    msg = message(text, intent)
    guard.process([msg])
    assert msg.get("intent")["name"] == intent


def test_only_words_of_four_letters_or_more_are_matched_one_letter_off(guard):
    assert guard.is_nonsense("iss", "greet") and guard.is_nonsense("whatt therre", "greet") is False
    assert guard.is_nonsense("hxllo thxnks", "greet")  # a letter changed is not one more or less


def test_without_a_vocabulary_it_guards_nothing(trained):
    msg = message("blorp zingo quaxx", "greet")
    NonsenseGuard({}, *trained).process([msg])
    assert msg.get("intent")["name"] == "greet"


def test_the_guarded_intents_come_from_the_config(trained):
    guard = NonsenseGuard.load({"intents": ["thanks"]}, *trained, execution_context=None)
    assert not guard.is_nonsense("blorp zingo", "greet")
    assert guard.is_nonsense("blorp zingo", "thanks")
