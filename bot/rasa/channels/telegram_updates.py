"""Reading Telegram updates: strict about their shape, careful about who they are for.

`parse_update` turns the webhook's JSON into small typed records and raises
`MalformedUpdate` for anything that is not a Telegram update, so the channel
answers 400 and processes nothing. Update kinds the assistant does not use
(e.g. `my_chat_member`) parse fine and are simply ignored.

In a group the bot answers only messages meant for it: a reply to one of its
messages, an @mention of it, or a command (addressed to it or to no bot in
particular). Telegram gives entity offsets in UTF-16 code units, so the
mention is cut out of the text in those units, not in Python characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

GROUP_CHATS = frozenset({"group", "supergroup"})
# Message fields that carry something other than text.
MEDIA_FIELDS = frozenset(
    {
        "photo",
        "sticker",
        "voice",
        "audio",
        "video",
        "video_note",
        "document",
        "animation",
        "location",
        "venue",
        "contact",
        "poll",
        "dice",
        "story",
        "game",
    }
)
COMMANDS = ("start", "help")
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)")


class MalformedUpdate(ValueError):
    """The body is not a Telegram update; nothing of it is processed."""


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is: the id is the token's prefix; the username comes from configuration or one getMe."""

    id: int
    username: Optional[str] = None


@dataclass(frozen=True)
class Entity:
    type: str
    offset: int  # UTF-16 code units
    length: int
    user_id: Optional[int] = None


@dataclass(frozen=True)
class Message:
    message_id: int
    chat_id: int
    chat_type: str
    user_id: Optional[int]
    from_bot: bool
    text: Optional[str]  # the text, or a media message's caption
    entities: tuple[Entity, ...]
    has_media: bool
    reply_to_user_id: Optional[int]
    edited: bool = False

    @property
    def in_group(self) -> bool:
        return self.chat_type in GROUP_CHATS


@dataclass(frozen=True)
class Callback:
    id: str
    user_id: int
    data: Optional[str]
    chat_id: Optional[int]  # None when the button's message is no longer known to Telegram
    chat_type: Optional[str]
    message_id: Optional[int]


@dataclass(frozen=True)
class Update:
    update_id: int
    message: Optional[Message] = None
    callback: Optional[Callback] = None


# --- parsing ---------------------------------------------------------------------------


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedUpdate(f"{what} must be an integer")
    return value


def _obj(value: Any, what: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise MalformedUpdate(f"{what} must be an object")
    return value


def _opt_str(value: Any, what: str) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise MalformedUpdate(f"{what} must be a string")
    return value


def _entities(raw: Any) -> tuple[Entity, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise MalformedUpdate("entities must be a list")
    found = []
    for item in raw:
        item = _obj(item, "an entity")
        user = item.get("user")
        found.append(
            Entity(
                type=str(item.get("type", "")),
                offset=_int(item.get("offset"), "entity offset"),
                length=_int(item.get("length"), "entity length"),
                user_id=_int(user.get("id"), "entity user id") if isinstance(user, Mapping) else None,
            )
        )
    return tuple(found)


def _message(raw: Any, edited: bool) -> Message:
    raw = _obj(raw, "message")
    chat = _obj(raw.get("chat"), "message.chat")
    sender = raw.get("from")
    sender = _obj(sender, "message.from") if sender is not None else None
    text = _opt_str(raw.get("text"), "message.text")
    entities = _entities(raw.get("entities"))
    if text is None:
        text = _opt_str(raw.get("caption"), "message.caption")
        entities = _entities(raw.get("caption_entities"))
    reply_to = raw.get("reply_to_message")
    reply_user = None
    if reply_to is not None:
        replied_from = _obj(reply_to, "message.reply_to_message").get("from")
        if isinstance(replied_from, Mapping):
            reply_user = _int(replied_from.get("id"), "reply_to_message.from.id")
    return Message(
        message_id=_int(raw.get("message_id"), "message.message_id"),
        chat_id=_int(chat.get("id"), "message.chat.id"),
        chat_type=_opt_str(chat.get("type"), "message.chat.type") or "private",
        user_id=_int(sender.get("id"), "message.from.id") if sender is not None else None,
        from_bot=bool(sender.get("is_bot")) if sender is not None else False,
        text=text,
        entities=entities,
        has_media=any(key in raw for key in MEDIA_FIELDS),
        reply_to_user_id=reply_user,
        edited=edited,
    )


def _callback(raw: Any) -> Callback:
    raw = _obj(raw, "callback_query")
    query_id = raw.get("id")
    if not isinstance(query_id, str) or not query_id:
        raise MalformedUpdate("callback_query.id must be a non-empty string")
    user = _obj(raw.get("from"), "callback_query.from")
    chat_id = chat_type = message_id = None
    if raw.get("message") is not None:
        message = _obj(raw["message"], "callback_query.message")
        chat = _obj(message.get("chat"), "callback_query.message.chat")
        chat_id = _int(chat.get("id"), "callback_query.message.chat.id")
        chat_type = _opt_str(chat.get("type"), "callback_query.message.chat.type") or "private"
        message_id = _int(message.get("message_id"), "callback_query.message.message_id")
    return Callback(
        id=query_id,
        user_id=_int(user.get("id"), "callback_query.from.id"),
        data=_opt_str(raw.get("data"), "callback_query.data"),
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
    )


def parse_update(body: Any) -> Update:
    """The update, or MalformedUpdate when `body` is not one."""
    body = _obj(body, "the update")
    update_id = _int(body.get("update_id"), "update_id")
    if body.get("message") is not None:
        return Update(update_id, message=_message(body["message"], edited=False))
    if body.get("edited_message") is not None:
        return Update(update_id, message=_message(body["edited_message"], edited=True))
    if body.get("callback_query") is not None:
        return Update(update_id, callback=_callback(body["callback_query"]))
    return Update(update_id)  # a kind the assistant does not use


# --- who a message is for ----------------------------------------------------------------


def _utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="replace")


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the given (offset, length) spans, counted in UTF-16 code units."""
    units = text.encode("utf-16-le")
    kept = bytearray()
    position = 0
    for offset, length in sorted(spans):
        if offset > position:
            kept += units[2 * position : 2 * offset]
        position = max(position, offset + length)
    kept += units[2 * position :]
    return kept.decode("utf-16-le", errors="replace")


def _valid(entity: Entity, text: str) -> bool:
    return (
        entity.offset >= 0 and entity.length > 0 and entity.offset + entity.length <= len(text.encode("utf-16-le")) // 2
    )


def _is_our_name(name: Optional[str], bot: BotIdentity) -> bool:
    return bool(name and bot.username and name.lstrip("@").lower() == bot.username.lstrip("@").lower())


def command_of(text: Optional[str], bot: BotIdentity) -> Optional[str]:
    """'start' or 'help' when the text is that command for this bot (or for no bot in particular)."""
    match = _COMMAND.match((text or "").strip())
    if not match or match.group(1).lower() not in COMMANDS:
        return None
    if match.group(2) and not _is_our_name(match.group(2), bot):
        return None
    return match.group(1).lower()


def addressed_text(message: Message, bot: BotIdentity) -> Optional[str]:
    """The words meant for the bot, or None when the message is not for it.

    Private chats: everything. Groups: replies to the bot, messages that
    mention it (the mention is removed from the text) and commands.
    """
    text = message.text or ""
    if message.chat_type == "private":
        return text
    if not message.in_group or message.from_bot:
        return None
    spans = []
    addressed = message.reply_to_user_id == bot.id
    for entity in message.entities:
        if not _valid(entity, text):
            continue
        if entity.type == "mention" and _is_our_name(_utf16_slice(text, entity.offset, entity.length), bot):
            spans.append((entity.offset, entity.length))
            addressed = True
        elif entity.type == "text_mention" and entity.user_id == bot.id:
            spans.append((entity.offset, entity.length))
            addressed = True
    match = _COMMAND.match(text.strip())
    if match and (_is_our_name(match.group(2), bot) or (not match.group(2) and match.group(1).lower() in COMMANDS)):
        addressed = True
    if not addressed:
        return None
    return re.sub(r"[ \t]{2,}", " ", remove_spans(text, spans)).strip(" \t\n,:;")
