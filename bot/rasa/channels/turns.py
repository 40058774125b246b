"""Running one user turn for a channel: never hangs, never ends without an envelope.

A slow action server must not leave a person staring at a typing indicator:
after the configured timeout the channel answers "please try again" while the
turn itself keeps running and is stored when it finishes, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Iterable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

from bot.rasa.channels import guard

log = logging.getLogger(__name__)
_background: set[asyncio.Task] = set()


def rasa_messages(sender: str, reply: dict) -> list[dict]:
    """A channel-made reply in the shape of Rasa's own collected messages."""
    return [
        {"recipient_id": sender, "text": reply["text"]},
        {"recipient_id": sender, "custom": reply["custom"]},
    ]


async def start_turn(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> asyncio.Future:
    """Start a turn and wait for it at most the turn timeout; the returned task is done when it was in time.

    A late turn is not cancelled: it keeps running, its failure is logged when
    it ends, and the tracker stores it as usual."""
    task = asyncio.ensure_future(on_new_message(message))
    done, _ = await asyncio.wait({task}, timeout=guard.limits().turn_timeout_seconds)
    if done:
        _log_failure(task)
        return task
    _background.add(task)
    task.add_done_callback(_background.discard)
    task.add_done_callback(_log_failure)
    log.warning(
        "a %s turn took longer than %.0f s; answered with a retry message",
        message.input_channel,
        guard.limits().turn_timeout_seconds,
    )
    return task


def succeeded(task: asyncio.Future) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def has_envelope(messages: Iterable[dict]) -> bool:
    """True when one of the messages carries the SPEC envelope (a non-empty `custom` object)."""
    return any(isinstance(m, dict) and m.get("custom") for m in messages)


def with_envelope(messages: list[dict], sender: str, as_messages: bool = True) -> list[dict]:
    """The messages, plus the retry reply when none of them carries an envelope.

    `as_messages` gives the reply in Rasa's collected-message shape (text and
    custom apart); otherwise as one reply dict with both."""
    if has_envelope(messages):
        return messages
    reply = guard.no_answer_reply()
    return messages + (rasa_messages(sender, reply) if as_messages else [reply])


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    sender: str,
    input_channel: str,
    metadata: Optional[dict] = None,
    collector: Optional[OutputChannel] = None,
) -> list[dict]:
    """Hand `text` to Rasa and return the collected bot messages, with exactly one envelope."""
    collector = collector or CollectingOutputChannel()
    await start_turn(
        on_new_message, UserMessage(text, collector, sender, input_channel=input_channel, metadata=metadata)
    )
    return with_envelope(list(getattr(collector, "messages", [])), sender)


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        # The message text is deliberately not logged.
        log.error("turn failed: %s", type(task.exception()).__name__, exc_info=task.exception())
