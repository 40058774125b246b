"""The Telegram channel end to end: the real assistant, updates posted to its webhook, replies at a stand-in Bot API."""

from __future__ import annotations

import html
import os

import pytest
import requests

from bot.core.answers import answer_topic, label
from bot.core.clinic import clinic
from bot.core.facts.repository import FactRepository
from bot.core.facts.store import engine_for
from bot.rasa.channels.telegram import sender_id
from bot.rasa.channels.telegram_format import CallbackCodec
from bot.rasa.channels.telegram_replies import texts
from tests.support.waiting import stays
from tests.telegram.updates import callback_update, message_update, next_id

pytestmark = pytest.mark.e2e

RED_FLAG = "I can't feel my legs and I've wet myself"


def first_paragraph(text: str) -> str:
    return text.split("\n\n")[0].strip()


def settle(telegram, chat_id, count, seconds=2.0):
    """Wait for `count` messages, then check for a little longer that no more come."""
    telegram.api.messages_to(chat_id, count)
    stays(
        lambda: len(telegram.api.calls_to("sendMessage", chat_id)) == count,
        seconds,
        f"chat {chat_id} got no more than {count} messages",
    )
    return telegram.api.calls_to("sendMessage", chat_id)


def test_a_text_update_reaches_the_assistant_and_the_answer_comes_back_with_a_keyboard(telegram):
    chat = next_id()
    question = "what happens at my first massage appointment?"
    reply = telegram.post(message_update(chat, question))
    assert reply.status_code == 200
    assert telegram.api.calls_to("sendMessage", chat) == [], "the webhook must answer before the turn is done"

    [message] = telegram.api.messages_to(chat)
    assert message.payload["parse_mode"] == "HTML"
    rest = telegram.assistant.ask(question)  # the same question over REST, for what the answer should be
    assert first_paragraph(rest.texts[0]) in message.text
    assert [b["text"] for b in message.keyboard] == [b["title"] for b in rest.buttons]
    codec = CallbackCodec()
    assert [codec.decode(b["callback_data"]) for b in message.keyboard] == [b["payload"] for b in rest.buttons]
    linked = [s for s in rest.custom["sources"] if s["url"]]
    assert linked
    for source in linked:
        assert f'<a href="{html.escape(source["url"], quote=True)}">' in message.payload["text"]
    assert telegram.user_texts(sender_id(chat, chat, False)) == [question]


def test_a_button_press_is_answered_and_handled_as_the_users_message(telegram):
    chat = next_id()
    telegram.post(message_update(chat, "will massage help my sciatica?"))
    [answer] = telegram.api.messages_to(chat)
    button = answer.keyboard[0]

    query_id = f"q{next_id()}"
    assert (
        telegram.post(callback_update(chat, button["callback_data"], message_id=555, query_id=query_id)).status_code
        == 200
    )
    messages = telegram.api.messages_to(chat, 2)
    answered = telegram.api.calls_to("answerCallbackQuery")
    [ack] = [c for c in answered if c.payload.get("callback_query_id") == query_id]
    assert ack.at <= messages[1].at, "the button is acknowledged before the answer is sent"
    assert any(
        c.payload == {"chat_id": chat, "message_id": 555, "reply_markup": {"inline_keyboard": []}}
        for c in telegram.api.calls_to("editMessageReplyMarkup")
    )
    payload = CallbackCodec().decode(button["callback_data"])
    rest = telegram.assistant.ask(payload)
    assert rest.custom["topic"] != "chat.fallback"
    assert first_paragraph(rest.texts[0]) in messages[1].text
    assert telegram.user_texts(sender_id(chat, chat, False))[-1] == payload


@pytest.mark.parametrize("secret", [None, "", "wrong", "S" * 32])
def test_a_wrong_or_missing_secret_gets_403_and_nothing_is_processed(telegram, secret):
    chat = next_id()
    refused = telegram.post(message_update(chat, "what is shiatsu?"), secret=secret)
    assert refused.status_code == 403
    # A genuine update for the same chat afterwards: the chat's turns run in order,
    # so a processed forged update would have been answered before it.
    assert telegram.post(message_update(chat, "hello")).status_code == 200
    assert len(settle(telegram, chat, 1)) == 1
    assert telegram.user_texts(sender_id(chat, chat, False)) == ["hello"]


@pytest.mark.parametrize(
    "raw",
    [
        b"not json at all",
        b"[1, 2, 3]",
        b'{"update_id": "seven"}',
        b'{"update_id": 1, "message": {"message_id": 2, "chat": {}, "text": "hi"}}',
        b'{"update_id": 1, "callback_query": {"data": "t:about.massage"}}',
        b"",
    ],
)
def test_a_malformed_update_gets_400_and_the_server_keeps_running(telegram, raw):
    assert telegram.post(raw=raw).status_code == 400
    assert telegram.post(raw=raw, secret="wrong").status_code == 403  # the secret is checked first
    chat = next_id()
    assert telegram.post(message_update(chat, "hello")).status_code == 200
    assert telegram.api.messages_to(chat)
    health = requests.get(f"{telegram.assistant.url}/webhooks/telegram/", timeout=10)
    assert health.json() == {"status": "ok"}


def test_a_red_flag_message_gets_the_emergency_reply_first_and_alone(telegram):
    chat = next_id()
    telegram.post(message_update(chat, RED_FLAG))
    messages = settle(telegram, chat, 1)
    rest = telegram.assistant.ask(RED_FLAG)
    emergency = [r for r in rest.envelopes if r["triage"] == "emergency"]
    assert emergency, f"the assistant did not see an emergency in {RED_FLAG!r}: {rest.messages}"
    number = emergency[0]["call"]
    assert number == clinic().emergency_number
    first = messages[0]
    assert f"<b>{html.escape(number)}</b>" in first.payload["text"]
    assert first_paragraph(rest.texts[0]) in first.text
    assert "reply_markup" not in first.payload, "the emergency reply carries nothing else"
    assert "Sources" not in first.text


def test_an_emergency_the_assistant_sends_outside_a_turn_reaches_the_chat_alone_with_the_number(telegram):
    """Rasa's trigger_intent API with output_channel=telegram goes through the channel's own sender."""
    chat = next_id()
    sender = sender_id(chat, chat, False)
    params = {"output_channel": "telegram", "token": telegram.assistant.api_token}
    reply = requests.post(
        f"{telegram.assistant.url}/conversations/{sender}/trigger_intent",
        params=params,
        json={"name": "triage_emergency", "entities": {}},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    [message] = telegram.api.messages_to(chat)
    number = clinic().emergency_number
    assert f"<b>{html.escape(number)}</b>" in message.payload["text"]
    assert "reply_markup" not in message.payload


def test_start_and_help_come_from_the_assistants_content_not_from_rasa(telegram):
    repository = FactRepository(engine_for(telegram.db_url))
    about = answer_topic("about.assistant", repository=repository)
    chat = next_id()
    telegram.post(message_update(chat, "/start"))
    [start] = telegram.api.messages_to(chat)
    assert texts()["start_greeting"].format(clinic_name=clinic().name) in start.text
    assert first_paragraph(about.text) in start.text
    assert [b["text"] for b in start.keyboard] == [label(t) for t in texts()["start_topics"]]

    telegram.post(message_update(chat, "/help"))
    help_ = telegram.api.messages_to(chat, 2)[1]
    assert first_paragraph(about.text) in help_.text
    assert texts()["help_footer"] in help_.text
    assert "Sources" in help_.text
    assert telegram.user_texts(sender_id(chat, chat, False)) == [], "commands are not passed to Rasa"


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice"])
def test_photos_stickers_and_voice_get_a_polite_text_only_reply(telegram, kind):
    chat = next_id()
    telegram.post(message_update(chat, None, **{kind: True}))
    [message] = telegram.api.messages_to(chat)
    expected = texts()["text_only"].format(emergency_number=clinic().emergency_number)
    assert " ".join(expected.split()) in " ".join(message.text.split())
    assert telegram.user_texts(sender_id(chat, chat, False)) == []


def test_a_photo_caption_is_read_as_the_message(telegram):
    chat = next_id()
    telegram.post(message_update(chat, None, photo=True, caption="is deep tissue massage painful?"))
    telegram.api.messages_to(chat)
    assert telegram.user_texts(sender_id(chat, chat, False)) == ["is deep tissue massage painful?"]


def test_an_edited_message_is_answered_again(telegram):
    chat = next_id()
    telegram.post(message_update(chat, "hello"))
    telegram.api.messages_to(chat)
    telegram.post(message_update(chat, "what is swedish massage?", edited=True))
    messages = telegram.api.messages_to(chat, 2)
    rest = telegram.assistant.ask("what is swedish massage?")
    assert first_paragraph(rest.texts[0]) in messages[1].text
    assert telegram.user_texts(sender_id(chat, chat, False)) == ["hello", "what is swedish massage?"]


def test_in_a_group_the_bot_answers_only_when_mentioned_or_replied_to(telegram):
    chat, user = -next_id(), next_id()
    name = "@" + telegram.api.username
    get_me_before = len(telegram.api.calls_to("getMe"))
    ignored = message_update(chat, "what is swedish massage?", chat_type="supergroup", user_id=user)
    other_bot = message_update(
        chat,
        "@SomeOtherBot what is swedish massage?",
        chat_type="supergroup",
        user_id=user,
        entities=[{"type": "mention", "offset": 0, "length": 13}],
    )
    text = f"{name} what is swedish massage?"
    mentioned = message_update(
        chat,
        text,
        chat_type="supergroup",
        user_id=user,
        entities=[{"type": "mention", "offset": 0, "length": len(name)}],
    )
    replied = message_update(
        chat, "and is it painful?", chat_type="supergroup", user_id=user, reply_to_user=telegram.api.bot_id
    )
    for update in (ignored, other_bot, mentioned, ignored | {"update_id": next_id()}, replied):
        assert telegram.post(update).status_code == 200
    messages = settle(telegram, chat, 2)
    answered = [m.payload.get("reply_parameters", {}).get("message_id") for m in messages]
    assert answered == [mentioned["message"]["message_id"], replied["message"]["message_id"]]
    assert telegram.user_texts(sender_id(chat, user, True)) == ["what is swedish massage?", "and is it painful?"]
    assert len(telegram.api.calls_to("getMe")) - get_me_before <= 1, "getMe once to learn the username, not per update"


def test_a_repeated_update_is_handled_once(telegram):
    chat = next_id()
    update = message_update(chat, "hello")
    assert telegram.post(update).status_code == 200
    assert telegram.post(update).status_code == 200
    assert len(settle(telegram, chat, 1)) == 1


def test_without_telegram_settings_the_webhook_answers_503_and_the_rest_works(assistant):
    assert not os.environ.get("TELEGRAM_BOT_TOKEN"), "this test needs the shared assistant started without Telegram"
    reply = requests.post(
        f"{assistant.url}/webhooks/telegram/webhook",
        json=message_update(1, "hi"),
        headers={"X-Telegram-Bot-Api-Secret-Token": "x"},
        timeout=10,
    )
    assert reply.status_code == 503
    assert requests.get(f"{assistant.url}/webhooks/telegram/", timeout=10).json() == {"status": "disabled"}
    assert assistant.ask("hello").custom["topic"] == "chat.greet"
