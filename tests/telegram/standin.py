"""A stand-in for the Telegram Bot API: an HTTP server on a free port that records every call.

It answers like Telegram does where the channel depends on it: `{"ok": true,
"result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`,
401 for a wrong token, and - so that the tests catch formatting mistakes -
it rejects what Telegram rejects: HTML it cannot parse, a text over 4096
characters, and callback_data over 64 bytes.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

from bot.run.harness import free_port

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote"}
)
_TOKEN = re.compile(r"<[^<>]*>|&[#A-Za-z0-9]*;?|[<>]")
_TAG = re.compile(r'<(/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>')
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def html_problem(text: str) -> Optional[str]:
    """Why Telegram's HTML parse mode would reject `text`, or None."""
    stack: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("&"):
            if not _ENTITY.fullmatch(token):
                return f"Unsupported HTML entity at byte offset {match.start()}"
        elif token in ("<", ">"):
            return f"Unexpected '{token}' at byte offset {match.start()}"
        else:
            tag = _TAG.fullmatch(token)
            if not tag or tag.group(2) not in ALLOWED_TAGS:
                return f"Unsupported start tag at byte offset {match.start()}"
            name = tag.group(2)
            if tag.group(1):
                if not stack or stack.pop() != name:
                    return f"Unexpected end tag at byte offset {match.start()}"
            else:
                if name == "a" and 'href="' not in tag.group(3):
                    return "a tag without href"
                stack.append(name)
    if stack:
        return f"Can't find end tag corresponding to start tag {stack[-1]}"
    return None


def visible(text: str, parse_mode: Optional[str]) -> str:
    """What the user sees of a message."""
    if parse_mode == "HTML":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    return text


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    payload: dict
    at: float

    @property
    def chat_id(self) -> Any:
        return self.payload.get("chat_id")

    @property
    def text(self) -> str:
        return visible(str(self.payload.get("text", "")), self.payload.get("parse_mode"))

    @property
    def keyboard(self) -> list[dict]:
        markup = self.payload.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class StandInBotApi:
    def __init__(self, token: str, username: str = "backcare_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.calls: list[Call] = []
        self.webhook: dict = {}
        self._changed = threading.Condition()
        self._next_message_id = 1000
        self._server: Optional[ThreadingHTTPServer] = None
        self._failures: list[tuple[str, int, str, Optional[int]]] = []

    def fail_next(self, method: str, status: int, description: str, retry_after: Optional[int] = None) -> None:
        """Make the next call to `method` fail the way Telegram fails (e.g. 429 with retry_after)."""
        with self._changed:
            self._failures.append((method, status, description, retry_after))

    # -- the server

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "StandInBotApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body = api.handle(self.path, raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815 - Telegram accepts both

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- answering

    def handle(self, path: str, raw: bytes) -> tuple[int, dict]:
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path.split("?", 1)[0])
        if not match or match.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = match.group(2)
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"}
        problem = self.problem(method, payload)
        with self._changed:
            self.calls.append(Call(method, payload, time.monotonic()))
            self._changed.notify_all()
            failure = next((f for f in self._failures if f[0] == method), None)
            if failure is not None:
                self._failures.remove(failure)
        if failure is not None:
            _, status, description, retry_after = failure
            body = {"ok": False, "error_code": status, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return status, body
        if problem:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"}
        return 200, {"ok": True, "result": self.result(method, payload)}

    def problem(self, method: str, payload: dict) -> Optional[str]:
        if method == "sendMessage":
            text = payload.get("text")
            if not isinstance(text, str) or not text.strip():
                return "message text is empty"
            if payload.get("parse_mode") == "HTML":
                trouble = html_problem(text)
                if trouble:
                    return f"can't parse entities: {trouble}"
            if utf16_len(visible(text, payload.get("parse_mode"))) > 4096:
                return "message is too long"
        for row in (payload.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button and len(button["callback_data"].encode()) > 64:
                    return "BUTTON_DATA_INVALID"
        return None

    def result(self, method: str, payload: dict) -> Any:
        if method == "getMe":
            return {"id": self.bot_id, "is_bot": True, "first_name": "Back care", "username": self.username}
        if method in ("sendMessage", "editMessageReplyMarkup"):
            with self._changed:
                self._next_message_id += 1
                message_id = payload.get("message_id") or self._next_message_id
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": payload.get("chat_id"), "type": "private"},
                "text": visible(str(payload.get("text", "")), payload.get("parse_mode")),
            }
        if method == "setWebhook":
            self.webhook = dict(payload)
            return True
        if method == "getWebhookInfo":
            return {
                "url": self.webhook.get("url", ""),
                "pending_update_count": 0,
                "allowed_updates": self.webhook.get("allowed_updates", []),
            }
        return True

    # -- for the tests

    def calls_to(self, method: str, chat_id: Any = None) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {[(c.method, c.payload) for c in self.calls]}")
                self._changed.wait(left)

    def messages_to(self, chat_id: Any, count: int = 1, timeout: float = 60.0) -> list[Call]:
        """Wait until `count` messages reached the chat, then return all of them."""
        self.wait_for(
            lambda: len([c for c in self.calls if c.method == "sendMessage" and c.chat_id == chat_id]) >= count, timeout
        )
        return self.calls_to("sendMessage", chat_id)
