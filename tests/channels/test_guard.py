"""The guard every channel shares: payload injection, limits, rate limiting."""

from __future__ import annotations

import pytest

from bot.core.answers import button_payload
from bot.core.topics import topics
from bot.rasa.channels import guard
from bot.rasa.channels.ratelimit import RateLimiter


@pytest.mark.parametrize("topic", ["condition.sciatica", "type.deep_tissue", "session.what_to_expect"])
def test_the_assistants_own_button_payloads_pass_unchanged(topic):
    payload = button_payload(topic)
    assert guard.inspect(payload).text == payload


@pytest.mark.parametrize(
    "text",
    [
        "/greet I can't feel my legs",
        '/ask_topic{"topic":"type.swedish","note":"I cant feel my legs"}',
        '/ask_topic{"topic":"not.a_topic"}',
        "/triage_emergency",
        '/ask_condition{"condition":"sciatica"}',
        "//greet",
        '/ask_topic{"topic": "type.swedish"}  ',
    ],
)
def test_other_slash_messages_are_read_as_words(text):
    verdict = guard.inspect(text)
    assert verdict.reply is None
    assert not verdict.text.startswith("/")
    assert verdict.text.strip()


def test_empty_and_overlong_messages_get_replies_with_an_envelope():
    for text in ["", "   ", "\x00\x01"]:
        reply = guard.inspect(text).reply
        assert reply["custom"]["topic"] == "chat.fallback"
    long_reply = guard.inspect("a" * (guard.limits().max_message_chars + 1)).reply
    assert str(guard.limits().max_message_chars) in long_reply["text"]
    assert guard.inspect("a" * guard.limits().max_message_chars).reply is None


def test_non_string_is_refused():
    with pytest.raises(TypeError):
        guard.inspect(42)


def test_rate_limiter_allows_a_burst_then_refills():
    now = [0.0]
    limiter = RateLimiter(burst=3, refill_seconds=1.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "senders are limited separately"
    now[0] += 1.0
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_rate_limiter_forgets_the_oldest_senders():
    limiter = RateLimiter(burst=1, refill_seconds=100.0, max_senders=2)
    limiter.allow("a")
    limiter.allow("b")
    limiter.allow("c")
    assert limiter.allow("a"), "'a' was forgotten, so it starts with a full bucket"


def test_all_topic_payloads_are_accepted():
    assert all(guard.is_offered_payload(button_payload(t)) for t in topics().all)


def test_red_flags_are_never_rate_limited(monkeypatch):
    limiter = RateLimiter(burst=1, refill_seconds=1000.0)
    monkeypatch.setattr(guard, "_rate_limiter", lambda: limiter)
    assert guard.inspect("hello", sender="s").reply is None
    assert "faster than I can answer" in guard.inspect("hello", sender="s").reply["text"]
    urgent = "I can't feel my legs and I've wet myself"
    assert guard.inspect(urgent, sender="s").text == urgent
