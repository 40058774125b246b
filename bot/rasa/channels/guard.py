"""What every channel does with a user's text before Rasa sees it.

Rasa treats a message that starts with "/" as an intent with entities and
skips the NLU pipeline, and with it the red-flag detector. Only the payloads
the assistant itself puts on its buttons may take that shortcut; anything
else has its leading slashes removed so that it is read as words, and the
safety layer sees it like every other message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from bot.core.clinic import clinic
from bot.core.config import Limits, Settings, current, or_current  # noqa: F401 - Limits is part of this API
from bot.core.envelope import envelope
from bot.core.levels import ALERT_LEVELS
from bot.core.payload import payload_topic
from bot.core.topics import topics
from bot.rasa.channels.ratelimit import RateLimiter

_PLAIN_PAYLOADS = frozenset({"/affirm", "/deny", "/greet", "/restart"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def limits(settings: Optional[Settings] = None) -> Limits:
    """content/channels.yml (and `BACKCARE_TURN_TIMEOUT_SECONDS`), as the settings read it."""
    return or_current(settings).limits


def _rate_limiter() -> RateLimiter:
    s = current()
    return s.cached("rate_limiter", lambda: RateLimiter(burst=s.limits.burst, refill_seconds=s.limits.refill_seconds))


@dataclass(frozen=True)
class Verdict:
    """Either `text` to hand to Rasa, or a `reply` to send instead."""

    text: Optional[str] = None
    reply: Optional[dict] = None


def is_offered_payload(text: str) -> bool:
    """True for exactly the payload forms the assistant's own buttons use."""
    if text in _PLAIN_PAYLOADS:
        return True
    return payload_topic(text) in topics()


def polite(topic: str, text: str) -> dict:
    """A reply the channel sends itself, shaped like every other reply."""
    return {"text": f"{text}\n\n{clinic().disclaimer}", "custom": envelope(topic, sources=(), disclaimer=True)}


def _is_alert(text: str) -> bool:
    """True when the text describes an emergency or urgent red flag: those are never rate-limited."""
    from bot.rasa.red_flag_component import get_detector, resolve_lexicon_path

    return get_detector(resolve_lexicon_path(None)).assess(text).level in ALERT_LEVELS


def inspect(raw: Any, sender: Optional[str] = None) -> Verdict:
    """Check one message; with `sender`, the per-sender rate limit applies too."""
    if not isinstance(raw, str):
        raise TypeError("message must be a string")
    if sender is not None and not _rate_limiter().allow(sender) and not _is_alert(raw):
        return Verdict(
            reply=polite(
                "chat.fallback",
                "You're sending messages faster than I can answer. Please wait a few seconds and try again. "
                f"If you are unwell right now, please call {clinic().emergency_number}.",
            )
        )
    max_chars = limits().max_message_chars
    text = _CONTROL.sub(" ", raw).strip()
    if not text:
        return Verdict(
            reply=polite(
                "chat.fallback",
                "I didn't catch anything there. What would you like to know about massage or back care?",
            )
        )
    if len(text) > max_chars:
        return Verdict(
            reply=polite(
                "chat.fallback",
                f"That message is longer than I can read ({max_chars} characters at most). "
                "Could you send the main question in a shorter message? If you are unwell right now, "
                f"please call {clinic().emergency_number}.",
            )
        )
    if text.startswith("/") and not is_offered_payload(text):
        text = text.lstrip("/").strip() or "?"
    return Verdict(text=text)


def no_answer_reply() -> dict:
    """Sent when the turn produced nothing, e.g. because the action server is down."""
    c = clinic()
    return polite(
        "chat.fallback",
        "Sorry, I couldn't answer that just now. Please try again in a moment"
        + (f", or call the clinic on {c.phone}." if c.phone else "."),
    )
