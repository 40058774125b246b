"""The topic button payload: built and read by one module, strict where it lets a message skip NLU."""

from __future__ import annotations

import pytest

from bot.core.payload import loose_payload_topic, payload_topic, topic_payload


@pytest.mark.parametrize("topic", ["type.deep_tissue", "condition.sciatica"])
def test_a_built_payload_reads_back_as_its_topic(topic):
    assert payload_topic(topic_payload(topic)) == topic


@pytest.mark.parametrize(
    "payload",
    [
        '/ask_topic{"topic": "type.swedish"}',  # spacing the buttons never use
        '/ask_topic{"topic":"Type.swedish"}',
        '/ask_topic{"topic":"type.swedish","x":1}',
        '/ask_topic{"topic":"swedish"}',
        "ask_topic",
        None,
    ],
)
def test_only_the_exact_form_is_a_topic_request(payload):
    assert payload_topic(payload) is None


def test_the_loose_reader_accepts_spacing_but_not_broken_json():
    assert loose_payload_topic('/ask_topic{"topic": "type.swedish"}') == "type.swedish"
    assert loose_payload_topic('/ask_topic{"topic": ') is None
    assert loose_payload_topic('/ask_topic["type.swedish"]') is None
