"""The website widget's channel: Rasa's socket.io channel with input checks, origin checks and the envelope.

Differences from Rasa's own `SocketIOInput`, and why:

- Every user text goes through `bot.rasa.channels.guard` first, exactly like the
  REST channel, so the "/intent" shortcut cannot skip the red-flag detector.
- A socket.io connection is accepted only from the origins the clinic listed
  (`allowed_origins` in content/clinic.yml) or from this server's own origin
  (the demo page). Rasa turns the origin check of python-socketio off.
- Each Rasa response reaches the widget as ONE `bot_uttered` event holding the
  text, the quick replies and the envelope under the key `custom`. Rasa's own
  output splits texts on blank lines and, in 3.6, cannot send a `custom`
  payload at all (it passes the dict as keyword arguments to `emit`). The
  widget needs the envelope next to the text to style an emergency reply.
- `session_confirm` carries `{"session_id", "limits"}` (Rasa's carries the id
  alone, a shape the widget also reads): the limits a client may apply itself
  (`Limits.public()`, from content/channels.yml), so the widget's input never
  holds a copy that drifts from what the guard enforces.
- A turn that produced no envelope (action server down, a crash) still gets a
  polite reply with one, as over REST.
- Its blueprint lives at /webhooks/widget/ and serves the demo clinic page and
  the built widget, so `make run` shows the widget with nothing else running.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.core import settings
from bot.core.clinic import Clinic, clinic
from bot.core.config import Settings
from bot.rasa.channels import guard
from bot.rasa.channels.turns import run_turn

log = logging.getLogger(__name__)

WIDGET_DIR = settings.ROOT / "widget"
# Files the blueprint serves, looked up by name in these folders in order:
# the demo clinic site first, then the build output.
SERVED_DIRS = (WIDGET_DIR / "demo", WIDGET_DIR / "dist")
_SERVED_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(html|js|css|svg|map)")
_CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
    "map": "application/json",
}
# The demo page needs nothing from elsewhere; a page that does less can be tricked into less.
DEMO_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_SESSION_ID = re.compile(r"[0-9a-f]{32}")


def quick_replies(buttons: Iterable[Dict[str, Any]]) -> list[dict]:
    """Buttons in the shape Rasa's socket.io channel gives them."""
    return [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]


def widget_message(message: Dict[str, Any]) -> dict:
    """One Rasa response as the single `bot_uttered` payload the widget reads."""
    payload: dict = {}
    if message.get("text"):
        payload["text"] = message["text"]
    buttons = message.get("quick_replies") or message.get("buttons")
    if buttons:
        payload["quick_replies"] = quick_replies(buttons)
    if message.get("custom"):
        payload["custom"] = message["custom"]
    return with_id(payload) if payload else payload


def with_id(payload: dict) -> dict:
    """Every tab of a conversation receives each message; the id lets them store it once."""
    return {**payload, "id": uuid.uuid4().hex}


class GuardedSocketIOOutput(SocketIOOutput):
    """Sends each response whole, envelope included, and remembers whether an envelope went out."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent_envelope = False

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        payload = widget_message(message)
        if payload:
            self.sent_envelope = self.sent_envelope or "custom" in payload
            await self.sio.emit(self.bot_message_evt, payload, room=recipient_id)
        rest = {k: v for k, v in message.items() if k in ("image", "attachment", "elements")}
        if rest:  # not used by this assistant; Rasa's own shapes for anything else
            await super().send_response(recipient_id, rest)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        self.sent_envelope = True
        await self.sio.emit(self.bot_message_evt, with_id({"custom": json_message}), room=recipient_id)


def origin_of(environ: Dict[str, Any]) -> Optional[str]:
    """This server's own origin as the browser sees it (what engine.io's default check uses)."""
    host = environ.get("HTTP_HOST")
    scheme = environ.get("wsgi.url_scheme") or "http"
    return f"{scheme}://{host}" if host else None


def origin_allowed(origin: Optional[str], environ: Dict[str, Any], allowed: Iterable[str]) -> bool:
    """Browsers always send Origin; a connection without one is not from a web page, so the check has nothing to say."""
    if not origin:
        return True
    origin = origin.rstrip("/")
    return origin in {o.rstrip("/") for o in allowed} or origin == origin_of(environ)


def served_file(name: str) -> Optional[Path]:
    if not _SERVED_NAME.fullmatch(name):
        return None
    for folder in SERVED_DIRS:
        path = folder / name
        if path.is_file():
            return path
    return None


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel for the website widget; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        channel = super().from_credentials(credentials)
        channel.allowed_origins = tuple(credentials.get("allowed_origins") or ())
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: tuple[str, ...] = ()

    def url_prefix(self) -> str:
        return "widget"

    def origins(self) -> tuple[str, ...]:
        return tuple(clinic().allowed_origins) + self.allowed_origins

    def get_output_channel(self) -> Optional[GuardedSocketIOOutput]:
        return GuardedSocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS headers for the HTTP long-polling transport come from Rasa's --cors
        # (sanic-cors); letting python-socketio add its own would duplicate them.
        # The origin is checked in `connect` instead, for every transport.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "guarded_socketio_webhook", __name__)
        self.sio = sio
        self._register_socket_events(sio, on_new_message)
        self._register_routes(webhook)
        return webhook

    def _register_socket_events(
        self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict]) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, environ, self.origins()):
                log.warning("refused a socket.io connection from origin %s", origin)
                return False
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            await sio.save_session(sid, {"session_id": session_id}, namespace=self.namespace)
            if self.session_persistence:
                # Every tab and every reconnection of this conversation joins its room, so
                # all of them see the replies. (Rasa 3.6 forgets to await this.)
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_confirmation(session_id), room=sid, namespace=self.namespace)
            await sio.emit("clinic_info", clinic_info(), room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            if self.session_persistence:
                # The conversation is the one this connection asked for, not whatever
                # id a message names: a socket cannot write into another session.
                session_id = (await sio.get_session(sid, namespace=self.namespace)).get("session_id")
                if not session_id:
                    return  # as in Rasa: without session_request first there is nobody to answer
                sender = session_id
            else:
                sender = sid
            output = GuardedSocketIOOutput(sio, self.bot_message_evt)
            verdict = guard.inspect(data["message"], sender=sender)
            if verdict.reply is not None:
                await output.send_response(sender, dict(verdict.reply))
                return
            # Replies go out live as Rasa produces them; run_turn bounds the wait (a
            # late answer still arrives when the turn completes) and logs failures.
            await run_turn(
                on_new_message,
                verdict.text,
                sender,
                self.name(),
                metadata_of(data, self.metadata_key),
                collector=output,
            )
            if not output.sent_envelope:
                await output.send_response(sender, guard.no_answer_reply())

    def _register_routes(self, webhook: Blueprint) -> None:
        @webhook.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The demo's relative links need the trailing slash.
                return response.redirect(request.path + "/")
            return await serve("index.html")

        @webhook.route("/<name:str>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            return await serve(name or "index.html")


async def serve(name: str) -> HTTPResponse:
    path = served_file(name)
    if path is None:
        if name.endswith(".js") and not any(d.is_dir() for d in SERVED_DIRS[1:]):
            return response.text("The widget is not built yet: run `make widget`.", status=503)
        return response.text("Not found", status=404)
    extension = path.suffix.lstrip(".")
    return await response.file(path, headers=DEMO_HEADERS, mime_type=_CONTENT_TYPES[extension])


def session_confirmation(session_id: str, settings: Optional[Settings] = None) -> dict:
    """The `session_confirm` payload: the conversation's id and the limits the widget applies before sending."""
    return {"session_id": session_id, "limits": guard.limits(settings).public()}


def clinic_info() -> dict:
    """What the widget shows before anyone asks: who it speaks for and the number to call in an emergency."""
    c = clinic()
    configured = c.name != Clinic.name  # the placeholder "our clinic" makes a poor chat title
    return {"name": c.name if configured else None, "emergency_number": c.emergency_number}


def valid_session_id(value: Any) -> bool:
    """Only ids shaped like the ones this server hands out (uuid4 hex), so a client cannot pick a REST sender's id."""
    return isinstance(value, str) and _SESSION_ID.fullmatch(value) is not None


def metadata_of(data: Dict[str, Any], key: str) -> Dict[str, Any]:
    metadata = data.get(key) or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return {}
    return metadata if isinstance(metadata, dict) else {}
