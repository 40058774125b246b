"""Bad input over REST: the assistant never crashes and always answers with a valid envelope."""

from __future__ import annotations

import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.envelope import TRIAGE_LEVELS
from bot.core.topics import topics

pytestmark = pytest.mark.e2e

BAD_TEXTS = [
    "",
    " ",
    "\u200b",
    "\n\n\n",
    "🙂🙂🙂 back pain 😩",
    "ظهري يؤلمني هل التدليك مفيد؟",
    "גב כואב",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE facts; --",
    "1 OR 1=1",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "%s%s%s%n",
    "\\x00\\xff",
    "\x00\x01\x02",
    "a" * 2000,
    "a" * 2001,
    "/",
    "//",
    "/restart",
    "/nlu_fallback",
    '/ask_topic{"topic":1}',
    "/ask_topic{",
    "/triage_emergency",
    "null",
    "[]",
    "{}",
    "🦴" * 600,
]

MALFORMED_BODIES = [
    (b"\xff\xfe\xfd", "application/json"),
    (b'{"sender": "a", "message": "\xff"}', "application/json"),
    (b"", "application/json"),
    (b"sender=a&message=hi", "application/x-www-form-urlencoded"),
    (b'{"sender": "a", "message": ["hi"]}', "application/json"),
    (b'{"sender": {"id": 1}, "message": "hi"}', "application/json"),
    (b'{"sender": "' + b"s" * 500 + b'", "message": "hi"}', "application/json"),
]


def _check(assistant, text: str) -> None:
    reply = assistant.post({"sender": uuid.uuid4().hex, "message": text})
    assert reply.status_code == 200, reply.status_code
    envelopes = [m["custom"] for m in reply.json() if "custom" in m]
    assert len(envelopes) == 1, reply.json()
    assert envelopes[0]["topic"] in topics()
    assert envelopes[0]["triage"] in TRIAGE_LEVELS
    assert isinstance(envelopes[0]["disclaimer"], bool)


def _post_raw(assistant, body: bytes, content_type: str) -> requests.Response:
    return requests.post(
        f"{assistant.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=30
    )


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_bad_text_gets_a_valid_envelope(assistant, text):
    _check(assistant, text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_gets_a_valid_envelope(assistant, text):
    _check(assistant, text)


@pytest.mark.parametrize("body, content_type", MALFORMED_BODIES)
def test_malformed_bodies_get_a_4xx_not_a_500(assistant, body, content_type):
    assert 400 <= _post_raw(assistant, body, content_type).status_code < 500


def test_summary_of_bad_inputs(assistant):
    """Every bad text and body once more, in one sweep of its own: one line that counts what broke."""
    crashed = []
    for text in BAD_TEXTS:
        try:
            _check(assistant, text)
        except AssertionError:
            crashed.append(text)
    crashed += [
        repr(body[:40])
        for body, content_type in MALFORMED_BODIES
        if not 400 <= _post_raw(assistant, body, content_type).status_code < 500
    ]
    print(f"\nbad inputs tried: {len(BAD_TEXTS) + len(MALFORMED_BODIES)}, crashed: {len(crashed)}")
    assert not crashed, crashed


def test_a_burst_from_one_sender_is_rate_limited_politely(assistant):
    sender = uuid.uuid4().hex
    replies = [assistant.ask("hello", sender=sender) for _ in range(15)]
    limited = [r for r in replies if "faster than I can answer" in r.text]
    assert limited, "15 messages at once must hit the per-sender limit"
    assert all(r.custom["topic"] in topics() for r in replies)
    assert assistant.ask("hello").custom["topic"] == "chat.greet", "other senders are not affected"


def test_server_still_answers_after_the_bad_input(assistant):
    assert assistant.ask("what happens at my first massage appointment?").custom["topic"] == "session.what_to_expect"
