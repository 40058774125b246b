"""The one grammar of a topic button's payload: `/ask_topic{"topic":"<id>"}`.

It is Rasa's "intent with entities" message form, so a pressed button skips
the NLU pipeline and names its topic exactly. The answers build it, the
channel guard lets exactly this form through, Telegram shortens it to fit a
button's callback data, and the evaluation reads it back; the widget's copy
is widget/src/payload.js.
"""

from __future__ import annotations

import json
import re
from typing import Optional

INTENT = "ask_topic"
PREFIX = "/" + INTENT
_TOPIC_ID = re.compile(r"[a-z_]+\.[a-z_]+")
_CANONICAL = re.compile(r'/ask_topic\{"topic":"([a-z_]+\.[a-z_]+)"\}')


def is_topic_id(text: str) -> bool:
    """True for a well-formed topic id such as `type.deep_tissue` (not necessarily a known one)."""
    return bool(_TOPIC_ID.fullmatch(text))


def topic_payload(topic: str) -> str:
    """The payload that asks for one topic."""
    return PREFIX + json.dumps({"topic": topic}, separators=(",", ":"))


def payload_topic(payload: str) -> Optional[str]:
    """The topic id of a payload in exactly the form `topic_payload` builds, else None."""
    match = _CANONICAL.fullmatch(payload) if isinstance(payload, str) else None
    return match.group(1) if match else None


def loose_payload_topic(payload: str) -> Optional[str]:
    """The topic of any `/ask_topic{...}` payload with a string `topic`, spacing aside (for reading replies)."""
    if not isinstance(payload, str) or not payload.startswith(PREFIX + "{"):
        return None
    try:
        topic = json.loads(payload[len(PREFIX) :]).get("topic")
    except (ValueError, AttributeError):
        return None
    return topic if isinstance(topic, str) and topic else None
