"""The held-out set stays apart from training and covers every topic."""

from __future__ import annotations

import difflib

import pytest

from bot.core.topics import topics
from bot.tools.labelled import DEV_FILE, labelled, normalised, training_texts

MIN_MESSAGES = 200
# Above this similarity a held-out message is a reworded training example, not a new one.
NEAR_COPY = 0.9


def test_heldout_is_big_enough_and_labelled_with_real_topics():
    examples = labelled()
    assert len(examples) >= MIN_MESSAGES
    unknown = {e.topic for e in examples} - set(topics().all)
    assert not unknown, f"labels that are not topic ids: {unknown}"


def test_every_answerable_topic_is_in_the_heldout_set():
    # triage.alert comes from the red-flag detector, which has its own evaluation.
    missing = set(topics().all) - {e.topic for e in labelled()} - {"triage.alert"}
    assert not missing, f"topics without held-out messages: {sorted(missing)}"


def test_no_heldout_message_is_in_the_training_data():
    train = {normalised(t) for t in training_texts()}
    copied = [e.text for e in labelled() if normalised(e.text) in train]
    assert not copied, f"held-out messages found in data/nlu: {copied}"


@pytest.mark.slow
def test_no_heldout_message_is_a_near_copy_of_a_training_example():
    train = [normalised(t) for t in training_texts()]
    near = []
    for example in labelled():
        text = normalised(example.text)
        if len(text) < 12:  # "hello", "bye": short messages are bound to repeat
            continue
        close = difflib.get_close_matches(text, train, n=1, cutoff=NEAR_COPY)
        if close:
            near.append((example.text, close[0]))
    assert not near, f"held-out messages too close to training examples: {near}"


def test_the_development_set_is_not_trained_on_either():
    train = {normalised(t) for t in training_texts()}
    copied = [e.text for e in labelled(DEV_FILE) if normalised(e.text) in train]
    assert not copied, f"development messages found in data/nlu: {copied}"
