"""Running one user turn for a channel: never hangs, never ends without an envelope.

A slow action server must not leave a person staring at a typing indicator:
after the configured timeout the channel answers "please try again" while the
turn itself keeps running and is stored when it finishes, so nothing is lost.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Optional

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
    task = asyncio.ensure_future(
        on_new_message(UserMessage(text, collector, sender, input_channel=input_channel, metadata=metadata))
    )
    done, _ = await asyncio.wait({task}, timeout=guard.limits().turn_timeout_seconds)
    messages = list(getattr(collector, "messages", []))
    if not done:
        _background.add(task)
        task.add_done_callback(_background.discard)
        task.add_done_callback(_log_failure)
        log.warning("a turn took longer than %.0f s; answered with a retry message", guard.limits().turn_timeout_seconds)
    else:
        _log_failure(task)
    if not guard.has_envelope(messages):
        messages += rasa_messages(sender, guard.no_answer_reply())
    return messages


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        # The message text is deliberately not logged.
        log.error("turn failed: %s", type(task.exception()).__name__, exc_info=task.exception())
