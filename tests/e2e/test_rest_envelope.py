"""The first slice, end to end over REST against the real servers."""

from __future__ import annotations

import pytest

from bot.core.topics import topics

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "message, topic, levels",
    [
        ("what happens at my first massage appointment?", "session.what_to_expect", {"none"}),
        # The learned triage model learnt sciatica questions as "see a GP or physiotherapist first"
        # (data/safety/topic_benign.yml); SPEC section 3 allows the safer level, never an alert.
        ("will massage help my sciatica?", "condition.sciatica", {"none", "professional"}),
        ("what can you help me with?", "about.assistant", {"none"}),
    ],
)
def test_fact_answers_carry_a_sourced_envelope(assistant, message, topic, levels):
    turn = assistant.ask(message)
    custom = turn.custom
    assert custom["topic"] == topic
    assert custom["triage"] in levels
    assert custom["disclaimer"] is True
    assert custom["sources"], "a fact-base answer must cite its sources"
    assert all(s["title"] and (s["url"] is None or s["url"].startswith("https://")) for s in custom["sources"])
    assert turn.text.strip()
    assert 2 <= len(turn.buttons) <= 3
    assert all(b["payload"].startswith("/ask_topic") for b in turn.buttons)


@pytest.mark.parametrize(
    "message, topic",
    [
        ("hello", "chat.greet"),
        ("bye", "chat.goodbye"),
        ("can you order me a pizza", "chat.out_of_scope"),
        ("xqzv blorf wibble", "chat.fallback"),
    ],
)
def test_small_talk_carries_the_envelope_too(assistant, message, topic):
    custom = assistant.ask(message).custom
    assert custom["topic"] == topic
    assert custom["triage"] == "none"
    assert custom["sources"] == []


def test_follow_up_button_payload_answers_its_topic(assistant):
    first = assistant.ask("what happens at my first massage appointment?", sender="button-user")
    button = first.buttons[0]
    second = assistant.ask(button["payload"], sender="button-user")
    assert second.custom["topic"] in topics()
    assert second.custom["topic"] != "chat.fallback"
    assert second.custom["sources"]


def test_clinic_details_come_from_configuration(assistant):
    turn = assistant.ask("I want to speak to someone at the clinic")
    assert turn.custom["topic"] == "chat.human_handoff"
    assert "{clinic_" not in turn.text, "every clinic variable must be filled"


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "x"},
        {"message": "hi"},
        {"sender": "x", "message": 42},
        {"sender": 5, "message": "hi"},
        {"sender": "", "message": "hi"},
        ["not", "an", "object"],
        {"sender": "x", "message": "hi", "metadata": "nope"},
    ],
)
def test_bad_bodies_get_a_clear_400(assistant, body):
    reply = assistant.post(body)
    assert reply.status_code == 400
    assert reply.json()["error"]


def test_non_json_body_gets_a_400_and_the_server_stays_up(assistant):
    import requests

    reply = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=b"\xff\xfenot json",
        timeout=30,
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == 400
    assert assistant.ask("hello").custom["topic"] == "chat.greet"


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_messages_get_a_polite_reply(assistant, message):
    turn = assistant.ask(message)
    assert turn.custom["topic"] == "chat.fallback"
    assert turn.text


def test_overlong_message_gets_a_polite_limit_reply(assistant):
    turn = assistant.ask("my back hurts " * 400)
    assert turn.custom["topic"] == "chat.fallback"
    assert "2000" in turn.text


def test_every_fact_topic_answers_with_its_sources_over_rest(assistant):
    """Each topic, asked through its follow-up button payload, returns that topic and sources."""
    from bot.core.answers import button_payload

    wrong = []
    for topic in topics().sourced:
        custom = assistant.ask(button_payload(topic)).custom
        if custom["topic"] != topic or not custom["sources"] or custom["triage"] != "none":
            wrong.append((topic, custom))
    assert not wrong, wrong
