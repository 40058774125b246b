"""Reading updates: what counts as malformed, and who a group message is for."""

from __future__ import annotations

import pytest

from bot.rasa.channels.telegram_updates import (
    BotIdentity,
    MalformedUpdate,
    addressed_text,
    command_of,
    parse_update,
    remove_spans,
)
from tests.telegram.updates import message_update

BOT = BotIdentity(id=4242, username="BackCareBot")


def group(text, entities=(), reply_to_bot=False, from_bot=False, chat_type="supergroup"):
    update = message_update(
        -100500,
        text,
        chat_type=chat_type,
        entities=list(entities),
        reply_to_user=BOT.id if reply_to_bot else None,
        user_id=77,
        from_bot=from_bot,
    )
    return parse_update(update).message


def mention(text: str, name: str) -> dict:
    """A mention entity with Telegram's UTF-16 offsets."""
    before = text[: text.index(name)]
    return {
        "type": "mention",
        "offset": len(before.encode("utf-16-le")) // 2,
        "length": len(name.encode("utf-16-le")) // 2,
    }


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "update",
        42,
        {},
        {"update_id": "7"},
        {"update_id": True},
        {"update_id": 1, "message": "hi"},
        {"update_id": 1, "message": {"message_id": 1, "text": "hi"}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": "x"}, "text": "hi"}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 5, "type": "private"}, "text": 5}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 5}, "text": "x", "entities": "no"}},
        {"update_id": 1, "callback_query": {"from": {"id": 5}, "data": "t:about.massage"}},
        {"update_id": 1, "callback_query": {"id": "q", "from": {}, "data": "x"}},
    ],
)
def test_malformed_updates_are_refused(body):
    with pytest.raises(MalformedUpdate):
        parse_update(body)


def test_kinds_the_assistant_does_not_use_are_accepted_and_empty():
    update = parse_update({"update_id": 9, "my_chat_member": {"chat": {"id": 1}}})
    assert update.update_id == 9 and update.message is None and update.callback is None


def test_text_edited_media_and_callbacks_are_read():
    text = parse_update(message_update(5, "hello")).message
    assert (text.chat_id, text.text, text.has_media, text.edited) == (5, "hello", False, False)
    edited = parse_update(message_update(5, "hello again", edited=True)).message
    assert edited.edited and edited.text == "hello again"
    photo = parse_update(message_update(5, None, photo=True)).message
    assert photo.has_media and photo.text is None
    captioned = parse_update(message_update(5, None, photo=True, caption="is this bruise ok?")).message
    assert captioned.text == "is this bruise ok?"
    callback = parse_update(
        {
            "update_id": 3,
            "callback_query": {
                "id": "cb1",
                "from": {"id": 9},
                "data": "t:about.massage",
                "message": {"message_id": 11, "chat": {"id": 9, "type": "private"}},
            },
        }
    ).callback
    assert (callback.id, callback.user_id, callback.chat_id, callback.message_id) == ("cb1", 9, 9, 11)


def test_private_messages_are_always_for_the_bot():
    message = parse_update(message_update(5, "what is shiatsu?")).message
    assert addressed_text(message, BOT) == "what is shiatsu?"


def test_group_messages_without_mention_or_reply_are_ignored():
    assert addressed_text(group("what is shiatsu?"), BOT) is None
    other = "@SomeOtherBot what is shiatsu?"
    assert addressed_text(group(other, [mention(other, "@SomeOtherBot")]), BOT) is None


def test_a_mention_addresses_the_bot_and_is_removed_from_the_text():
    text = "@backcarebot, what is shiatsu?"  # usernames are case-insensitive
    assert addressed_text(group(text, [mention(text, "@backcarebot")]), BOT) == "what is shiatsu?"
    text = "Hey @BackCareBot what is shiatsu?"
    assert addressed_text(group(text, [mention(text, "@BackCareBot")]), BOT) == "Hey what is shiatsu?"


def test_mention_offsets_are_utf16_units():
    text = "🙂🙂 @BackCareBot is massage safe in pregnancy?"
    got = addressed_text(group(text, [mention(text, "@BackCareBot")]), BOT)
    assert got == "🙂🙂 is massage safe in pregnancy?"


def test_text_mention_of_the_bot_and_replies_to_it_address_it():
    text = "Back care bot can I massage my sciatica?"
    entity = {"type": "text_mention", "offset": 0, "length": 13, "user": {"id": BOT.id}}
    assert addressed_text(group(text, [entity]), BOT) == "can I massage my sciatica?"
    assert addressed_text(group("and for sciatica?", reply_to_bot=True), BOT) == "and for sciatica?"


def test_other_bots_and_channels_are_never_answered():
    text = "@BackCareBot hi"
    assert addressed_text(group(text, [mention(text, "@BackCareBot")], from_bot=True), BOT) is None
    assert addressed_text(group(text, [mention(text, "@BackCareBot")], chat_type="channel"), BOT) is None


def test_out_of_range_entities_are_ignored_not_trusted():
    text = "hello"
    bad = {"type": "mention", "offset": 3, "length": 40}
    assert addressed_text(group(text, [bad]), BOT) is None


def test_commands_in_groups_and_private_chats():
    assert command_of("/start", BOT) == "start"
    assert command_of("/help@BackCareBot", BOT) == "help"
    assert command_of("/help@OtherBot", BOT) is None
    assert command_of("/start deep-link-payload", BOT) == "start"
    assert command_of("/restart", BOT) is None
    assert command_of("what does /help do", BOT) is None
    assert addressed_text(group("/help@BackCareBot"), BOT) == "/help@BackCareBot"
    assert addressed_text(group("/help"), BOT) == "/help"
    assert addressed_text(group("/help@OtherBot"), BOT) is None


def test_remove_spans_keeps_everything_else():
    assert remove_spans("a🙂bc", [(1, 2)]) == "abc"
    assert remove_spans("abcdef", [(4, 1), (0, 2)]) == "cdf"
