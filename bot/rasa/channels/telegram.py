"""The Telegram channel: a webhook that checks who is calling and answers from the assistant.

Why not Rasa's own `TelegramInput`: it calls getMe on every update, trusts
any POST to its URL, sets the webhook while the server starts (so the server
fails without network) and understands only a few kinds of update. This one:

- accepts an update only with the `X-Telegram-Bot-Api-Secret-Token` header
  that `bot telegram set-webhook` registered (constant-time compare; 403
  otherwise, and nothing is processed);
- answers Telegram at once (200, or 400 for a body that is not an update) and
  does the turn in the background, one turn at a time per chat, in order;
- sends an emergency or urgent reply first and on its own, with the number
  to call, before anything else the turn produced;
- answers /start and /help itself from the assistant's content, turns button
  payloads into inline keyboards and their presses back into messages, reads
  edited messages, politely declines photos, voice and the like, and in
  groups speaks only when mentioned or replied to;
- escapes everything for Telegram's HTML mode and splits long replies.

Settings come from environment variables named in credentials.yml (see
`bot.rasa.channels.telegram_config`); without them the channel is disabled and its
webhook answers 503, so the rest of the server starts as usual.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.clinic import clinic
from bot.rasa.channels import guard, turns
from bot.rasa.channels.telegram_api import BotApi, BotApiError
from bot.rasa.channels.telegram_config import TelegramConfig, config_from
from bot.rasa.channels.telegram_format import CallbackCodec, Keyboard, as_plain
from bot.rasa.channels.telegram_replies import (
    Outgoing,
    TurnCollector,
    command_reply,
    in_sending_order,
    outgoing_for,
    texts,
)
from bot.rasa.channels.telegram_updates import (
    BotIdentity,
    Callback,
    MalformedUpdate,
    Message,
    Update,
    addressed_text,
    command_of,
    parse_update,
)

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_REMEMBERED_UPDATES = 4096
_SENDER = re.compile(r"telegram:(-?\d+)(?::(\d+))?")


def sender_id(chat_id: int, user_id: Optional[int], in_group: bool) -> str:
    """Rasa's conversation id: the chat, and in a group also the person, so members don't share a conversation."""
    return f"telegram:{chat_id}:{user_id}" if in_group and user_id is not None else f"telegram:{chat_id}"


def chat_of(sender: str) -> Optional[int]:
    match = _SENDER.fullmatch(sender)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Target:
    """Where replies go: the chat, and in a group the message they answer."""

    chat_id: int
    reply_to: Optional[int] = None


# --- the channel ----------------------------------------------------------------------


@dataclass
class _ChatLock:
    lock: asyncio.Lock
    users: int = 0


class TelegramChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "TelegramChannel":
        return cls(config_from(credentials))

    def __init__(self, config: TelegramConfig) -> None:
        self.config = config
        self.keyboard = Keyboard(CallbackCodec())
        self._api: Optional[BotApi] = None
        self._identity: Optional[BotIdentity] = None
        self._identity_checked = float("-inf")
        self._identity_lock: Optional[asyncio.Lock] = None
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._locks: dict[int, _ChatLock] = {}
        self._tasks: set[asyncio.Task] = set()
        if config.enabled:
            log.info("Telegram channel enabled (Bot API at %s)", config.api_base_url)
        elif config.token or config.secret_token:
            log.warning("Telegram channel disabled: %s", config.problem)
        else:
            log.info("Telegram channel disabled: %s", config.problem)

    # -- plumbing

    @property
    def api(self) -> BotApi:
        if self._api is None:
            self._api = BotApi(self.config.token or "", self.config.api_base_url)
        return self._api

    @asynccontextmanager
    async def _lock(self, chat_id: int) -> AsyncIterator[None]:
        """One turn at a time per chat, so a chat's replies keep their order; other chats never wait."""
        entry = self._locks.setdefault(chat_id, _ChatLock(asyncio.Lock()))
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[chat_id]

    def _first_time(self, update_id: int) -> bool:
        """False for an update Telegram delivers again (e.g. after a slow answer)."""
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        while len(self._seen) > _REMEMBERED_UPDATES:
            self._seen.popitem(last=False)
        return True

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def identity(self, need_username: bool) -> BotIdentity:
        """The bot's id (from the token) and username (configured, or one getMe, cached)."""
        if self._identity is None:
            self._identity = BotIdentity(self.config.bot_id, self.config.bot_username)
        if need_username and self._identity.username is None:
            self._identity_lock = self._identity_lock or asyncio.Lock()
            async with self._identity_lock:  # messages arriving meanwhile wait for the answer
                if self._identity.username is None and time.monotonic() - self._identity_checked > 300:
                    self._identity_checked = time.monotonic()
                    try:
                        me = await self.api.call("getMe")
                        if isinstance(me, dict) and isinstance(me.get("username"), str):
                            self._identity = BotIdentity(self._identity.id, me["username"])
                    except BotApiError as exc:
                        log.warning("getMe failed, group mentions are not recognised yet: %s", exc.description)
        return self._identity

    # -- HTTP

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("backcare_telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.config.enabled else "disabled"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.config.enabled:
                return response.json({"error": "the Telegram channel is not configured"}, status=503)
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode("utf-8"), (self.config.secret_token or "").encode("utf-8")):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = parse_update(json.loads(request.body or b"null"))
            except (ValueError, RecursionError) as exc:  # MalformedUpdate and bad JSON alike
                reason = str(exc) if isinstance(exc, MalformedUpdate) else "the body is not JSON"
                return response.json({"error": f"not a Telegram update: {reason}"}, status=400)
            if self._first_time(update.update_id):
                self._spawn(self.process(update, on_new_message))
            return response.json({"ok": True})

        @webhook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            if self._api is not None:
                await self._api.close()

        return webhook

    def get_output_channel(self) -> Optional[OutputChannel]:
        return TelegramOutput(self) if self.config.enabled else None

    # -- one update

    async def process(self, update: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        try:
            if update.callback is not None:
                await self.on_callback(update.callback, on_new_message)
            elif update.message is not None:
                await self.on_message(update.message, on_new_message)
        except Exception:  # noqa: BLE001 - one bad update must not stop the next; the log keeps no text
            log.exception("Telegram update %s failed", update.update_id)

    async def on_message(self, message: Message, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        bot = await self.identity(need_username=message.in_group)
        text = addressed_text(message, bot)
        if text is None:
            return
        target = Target(message.chat_id, message.message_id if message.in_group else None)
        async with self._lock(message.chat_id):
            if message.has_media and not text.strip():
                await self.deliver(target, [self.own_reply("chat.fallback", texts()["text_only"])])
                return
            if not text.strip() and message.text is None:
                return  # a service message (someone joined, a pinned message...)
            command = command_of(text, bot)
            if command is not None:
                reply = await asyncio.get_running_loop().run_in_executor(None, command_reply, command)
                await self.deliver(target, [reply])
                return
            sender = sender_id(message.chat_id, message.user_id, message.in_group)
            metadata = {"telegram": {"chat_type": message.chat_type, "edited": message.edited}}
            await self.converse(text, sender, target, on_new_message, metadata)

    async def on_callback(self, callback: Callback, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        # Answer first, whatever happens next, so the button stops spinning.
        await self.call_quietly("answerCallbackQuery", {"callback_query_id": callback.id})
        chat_id = callback.chat_id if callback.chat_id is not None else callback.user_id
        in_group = callback.chat_type in ("group", "supergroup")
        target = Target(chat_id)
        async with self._lock(chat_id):
            if callback.message_id is not None:  # the choice is made: take the buttons away
                await self.call_quietly(
                    "editMessageReplyMarkup",
                    {
                        "chat_id": chat_id,
                        "message_id": callback.message_id,
                        "reply_markup": {"inline_keyboard": []},
                    },
                )
            payload = self.keyboard.codec.decode(callback.data or "")
            if payload is None:
                await self.deliver(target, [self.own_reply("chat.fallback", texts()["button_expired"])])
                return
            sender = sender_id(chat_id, callback.user_id, in_group)
            metadata = {"telegram": {"chat_type": callback.chat_type or "private", "button": True}}
            await self.converse(payload, sender, target, on_new_message, metadata)

    async def converse(
        self,
        text: str,
        sender: str,
        target: Target,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict,
    ) -> None:
        """One turn with the assistant; its replies are sent when it ends, alarms first."""
        verdict = guard.inspect(text, sender=sender)
        if verdict.reply is not None:
            await self.deliver(target, [verdict.reply])
            return
        await self.call_quietly("sendChatAction", {"chat_id": target.chat_id, "action": "typing"})
        collector = TurnCollector()
        message = UserMessage(verdict.text, collector, sender, input_channel=self.name(), metadata=metadata)
        turn = await turns.start_turn(on_new_message, message)
        if not turn.done():
            # Say so now; the answer still follows when the turn ends.
            await self.deliver(target, [guard.no_answer_reply()])
            await asyncio.wait({turn})
            if turns.succeeded(turn) and collector.replies:
                await self.deliver(target, collector.replies)
            return
        await self.deliver(target, turns.with_envelope(collector.replies, sender, as_messages=False))

    @staticmethod
    def own_reply(topic: str, text: str) -> dict:
        return guard.polite(topic, text.format(emergency_number=clinic().emergency_number))

    # -- sending

    async def deliver(self, target: Target, replies: Iterable[dict]) -> None:
        first = True
        for reply in in_sending_order(replies):
            for message in outgoing_for(reply, self.keyboard):
                await self.send_message(target.chat_id, message, target.reply_to if first else None)
                first = False

    async def send_message(self, chat_id: int, message: Outgoing, reply_to: Optional[int] = None) -> Any:
        payload: dict[str, Any] = {
            "chat_id": chat_id,
            "text": message.html,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if message.keyboard:
            payload["reply_markup"] = message.keyboard
        if reply_to is not None:
            payload["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
        for attempt in range(3):
            try:
                return await self.api.call("sendMessage", payload)
            except BotApiError as exc:
                if exc.is_parse_error and "parse_mode" in payload:
                    log.error("Telegram could not parse a reply's HTML; sending it as plain text")
                    payload = {k: v for k, v in payload.items() if k != "parse_mode"}
                    payload["text"] = as_plain(message.html)
                elif exc.error_code == 429 and exc.retry_after is not None and exc.retry_after <= 30:
                    await asyncio.sleep(exc.retry_after)
                elif exc.error_code is None and attempt == 0:
                    await asyncio.sleep(1.0)
                else:
                    log.warning("sendMessage failed: %s", exc.description)
                    return None
        return None

    async def call_quietly(self, method: str, payload: dict) -> Any:
        """A call whose failure must not stop the turn (typing indicator, button clean-up...)."""
        try:
            return await self.api.call(method, payload)
        except BotApiError as exc:
            log.info("%s failed: %s", method, exc.description)
            return None


class TelegramOutput(OutputChannel):
    """For messages Rasa sends outside a turn (reminders, the trigger_intent API)."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        chat_id = chat_of(recipient_id)
        if chat_id is None:
            log.warning("cannot send to a non-Telegram conversation")
            return
        collector = TurnCollector()
        await collector.send_response(recipient_id, message)
        await self.channel.deliver(Target(chat_id), collector.replies)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})
