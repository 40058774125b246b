"""The REST channel (`POST /webhooks/rest/webhook`) with input checks and a guaranteed envelope."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa.channels import guard
from bot.rasa.channels.turns import rasa_messages, run_turn

MAX_SENDER_CHARS = 128


def bad_request(message: str) -> HTTPResponse:
    return response.json({"error": message}, status=400)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises several kinds for bad bodies
                return bad_request('the body must be JSON: {"sender": "<id>", "message": "<text>"}')
            if not isinstance(body, dict):
                return bad_request("the body must be a JSON object with 'sender' and 'message'")
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return bad_request(f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters")
            if not isinstance(text, str):
                return bad_request("'message' must be a string")
            metadata = body.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return bad_request("'metadata' must be an object")

            verdict = guard.inspect(text, sender=sender)
            if verdict.reply is not None:
                return response.json(rasa_messages(sender, verdict.reply))
            messages = await run_turn(on_new_message, verdict.text, sender, self.name(), metadata)
            return response.json(messages)

        return webhook
