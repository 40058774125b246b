"""The channel's sending against the stand-in Bot API: order, retries and the plain-text fallback."""

from __future__ import annotations

import asyncio

from bot.core.envelope import envelope
from bot.rasa.channels.telegram import Target, TelegramChannel
from bot.rasa.channels.telegram_config import config_from
from bot.rasa.channels.telegram_replies import Outgoing
from tests.support.telegram_rig import TOKEN
from tests.telegram.updates import next_id


def channel_for(api) -> TelegramChannel:
    return TelegramChannel(
        config_from(
            {}, environ={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "s", "TELEGRAM_API_BASE_URL": api.url}
        )
    )


def run(channel: TelegramChannel, coroutine):
    async def main():
        try:
            return await coroutine
        finally:
            await channel.api.close()

    return asyncio.run(main())


def test_a_turn_with_an_answer_and_an_emergency_sends_the_emergency_first_and_alone(bot_api):
    chat = next_id()
    channel = channel_for(bot_api)
    answer = {
        "text": "Swedish massage uses long strokes.",
        "buttons": [{"title": "More", "payload": "/affirm"}],
        "custom": envelope("type.swedish", sources=[{"title": "NHS", "url": "https://www.nhs.uk/"}]),
    }
    emergency = {
        "text": "Please call 999 now.",
        "buttons": [],
        "custom": {**envelope("triage.alert", triage="emergency", sources=(), disclaimer=False), "call": "999"},
    }
    run(channel, channel.deliver(Target(chat, reply_to=7), [answer, emergency]))
    first, second = bot_api.calls_to("sendMessage", chat)
    assert first.text == "Please call 999 now." and "reply_markup" not in first.payload
    assert first.payload["reply_parameters"]["message_id"] == 7
    assert second.text.startswith("Swedish massage") and second.keyboard


def test_html_telegram_cannot_parse_is_resent_as_plain_text(bot_api):
    chat = next_id()
    channel = channel_for(bot_api)
    bot_api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag")
    run(channel, channel.send_message(chat, Outgoing("Call <b>999</b> &amp; wait")))
    tried, resent = bot_api.calls_to("sendMessage", chat)
    assert tried.payload["parse_mode"] == "HTML"
    assert "parse_mode" not in resent.payload and resent.payload["text"] == "Call 999 & wait"


def test_flood_control_is_waited_out_then_the_message_is_sent(bot_api):
    chat = next_id()
    channel = channel_for(bot_api)
    bot_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    run(channel, channel.send_message(chat, Outgoing("hello")))
    first, second = bot_api.calls_to("sendMessage", chat)
    assert second.at - first.at >= 0.9
    assert second.payload == first.payload


def test_other_errors_are_not_retried_forever(bot_api):
    chat = next_id()
    channel = channel_for(bot_api)
    bot_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert run(channel, channel.send_message(chat, Outgoing("hello"))) is None
    assert len(bot_api.calls_to("sendMessage", chat)) == 1


def test_an_unreachable_bot_api_does_not_raise(tmp_path):
    channel = TelegramChannel(
        config_from(
            {},
            environ={
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_WEBHOOK_SECRET": "s",
                "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
            },
        )
    )
    assert run(channel, channel.send_message(1, Outgoing("hello"))) is None


def test_turns_in_one_chat_wait_for_each_other_and_other_chats_do_not(bot_api):
    channel = channel_for(bot_api)
    order: list[str] = []

    async def turn(chat: int, name: str, hold: float) -> None:
        async with channel._lock(chat):
            order.append(f"{name}+")
            await asyncio.sleep(hold)
            order.append(f"{name}-")

    async def main() -> None:
        await asyncio.gather(turn(1, "a", 0.2), turn(1, "b", 0), turn(2, "c", 0))

    asyncio.run(main())
    assert order.index("a-") < order.index("b+"), "the same chat's next turn waits"
    assert order.index("c-") < order.index("a-"), "another chat does not wait"
    assert channel._locks == {}, "locks of idle chats are dropped"


def test_messages_arriving_together_all_wait_for_the_one_get_me(bot_api):
    channel = channel_for(bot_api)
    before = len(bot_api.calls_to("getMe"))

    async def main():
        return await asyncio.gather(*(channel.identity(need_username=True) for _ in range(5)))

    identities = run(channel, main())
    assert all(i.username == bot_api.username and i.id == bot_api.bot_id for i in identities)
    assert len(bot_api.calls_to("getMe")) == before + 1
    assert run(channel, channel.identity(need_username=True)).username == bot_api.username
    assert len(bot_api.calls_to("getMe")) == before + 1, "the username is remembered"
