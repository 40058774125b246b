"""Telegram updates as the Bot API sends them (only the fields the channel reads, plus a few it must ignore)."""

from __future__ import annotations

import itertools
import time
from typing import Optional

_ids = itertools.count(int(time.time()) % 100_000 * 1000)


def next_id() -> int:
    return next(_ids)


def message_update(
    chat_id: int,
    text: Optional[str],
    *,
    chat_type: str = "private",
    user_id: Optional[int] = None,
    entities: Optional[list] = None,
    reply_to_user: Optional[int] = None,
    from_bot: bool = False,
    edited: bool = False,
    photo: bool = False,
    sticker: bool = False,
    voice: bool = False,
    caption: Optional[str] = None,
    message_id: Optional[int] = None,
) -> dict:
    user_id = user_id if user_id is not None else chat_id
    message: dict = {
        "message_id": message_id or next_id(),
        "date": int(time.time()),
        "from": {"id": user_id, "is_bot": from_bot, "first_name": "Pat", "language_code": "en"},
        "chat": {
            "id": chat_id,
            "type": chat_type,
            **({"title": "Back club"} if chat_type != "private" else {"first_name": "Pat"}),
        },
    }
    if text is not None:
        message["text"] = text
    if entities:
        message["entities"] = entities
    if reply_to_user is not None:
        message["reply_to_message"] = {
            "message_id": 1,
            "date": 0,
            "chat": message["chat"],
            "from": {"id": reply_to_user, "is_bot": True, "first_name": "Bot"},
            "text": "...",
        }
    if photo:
        message["photo"] = [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}]
    if sticker:
        message["sticker"] = {
            "file_id": "CAAD",
            "file_unique_id": "u2",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    if voice:
        message["voice"] = {"file_id": "AwAD", "file_unique_id": "u3", "duration": 3}
    if caption is not None:
        message["caption"] = caption
    if edited:
        message["edit_date"] = int(time.time())
    return {"update_id": next_id(), ("edited_message" if edited else "message"): message}


def callback_update(
    chat_id: int, data: str, message_id: int, user_id: Optional[int] = None, query_id: Optional[str] = None
) -> dict:
    return {
        "update_id": next_id(),
        "callback_query": {
            "id": query_id or f"cb{next_id()}",
            "from": {"id": user_id if user_id is not None else chat_id, "is_bot": False, "first_name": "Pat"},
            "chat_instance": "-123",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "...",
            },
        },
    }
