"""One turn, bounded in time and never without an envelope: the REST/socket.io path and Telegram's share it."""

from __future__ import annotations

import asyncio
import os

import pytest

from bot.core.config import Settings, using
from bot.core.envelope import envelope
from bot.rasa.channels import turns
from bot.rasa.channels.telegram import Target, TelegramChannel
from bot.rasa.channels.telegram_config import config_from

ANSWER = {"text": "Swedish massage uses long strokes.", "custom": envelope("type.swedish", sources=())}


@pytest.fixture
def short_timeout():
    with using(Settings.from_env(os.environ, turn_timeout_seconds=0.2)):
        yield


def assistant(delay: float, replies: list[dict], fail: bool = False):
    """A stand-in for Rasa's handler: answers after `delay` seconds, or fails."""
    finished: list[bool] = []

    async def on_new_message(message) -> None:
        await asyncio.sleep(delay)
        if fail:
            raise RuntimeError("the action server went away")
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))  # Rasa pops keys
        finished.append(True)

    return on_new_message, finished


def topics_of(messages: list[dict]) -> list[str]:
    return [m["custom"]["topic"] for m in messages if m.get("custom")]


def test_an_answer_in_time_is_returned_with_its_own_envelope_only(short_timeout):
    handler, _ = assistant(0, [ANSWER])
    messages = asyncio.run(turns.run_turn(handler, "swedish?", "s1", "rest"))
    assert topics_of(messages) == ["type.swedish"]


@pytest.mark.parametrize("delay, fail", [(0, True), (2.0, False)])
def test_a_failed_or_slow_turn_still_ends_with_one_envelope(short_timeout, delay, fail):
    handler, finished = assistant(delay, [ANSWER], fail=fail)

    async def main():
        started = asyncio.get_running_loop().time()
        messages = await turns.run_turn(handler, "swedish?", "s2", "rest")
        waited = asyncio.get_running_loop().time() - started
        await asyncio.sleep(delay + 0.3)  # the slow turn is left running, not cancelled
        return messages, waited

    messages, waited = asyncio.run(main())
    assert topics_of(messages) == ["chat.fallback"]
    assert waited < 1.5  # the timeout, not the turn
    assert finished == ([] if fail else [True])


class Recorder(TelegramChannel):
    """The Telegram channel with its sending recorded instead of calling the Bot API."""

    def __init__(self) -> None:
        super().__init__(config_from({}, environ={"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "s"}))
        self.sent: list[list[str]] = []

    async def deliver(self, target: Target, replies) -> None:
        self.sent.append(topics_of(list(replies)))

    async def call_quietly(self, method: str, payload: dict):
        return None


@pytest.mark.parametrize(
    "delay, expected",
    [
        (0, [["type.swedish"]]),
        (1.0, [["chat.fallback"], ["type.swedish"]]),  # told to wait at once, the answer follows
    ],
)
def test_telegram_says_please_wait_for_a_slow_turn_and_sends_the_answer_after(short_timeout, delay, expected):
    channel = Recorder()
    handler, _ = assistant(delay, [ANSWER])
    asyncio.run(channel.converse("swedish?", "telegram:5", Target(5), handler, {}))
    assert channel.sent == expected


def test_telegram_adds_the_retry_reply_when_the_turn_fails(short_timeout):
    channel = Recorder()
    handler, _ = assistant(0, [], fail=True)
    asyncio.run(channel.converse("swedish?", "telegram:6", Target(6), handler, {}))
    assert channel.sent == [["chat.fallback"]]
