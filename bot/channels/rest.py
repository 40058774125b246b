"""The REST channel (`POST /webhooks/rest/webhook`) with input checks and a guaranteed envelope."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import guard

log = logging.getLogger(__name__)
MAX_SENDER_CHARS = 128


def as_rasa_messages(sender: str, reply: dict) -> list[dict]:
    """A channel-made reply in the shape Rasa's own REST replies have."""
    return [
        {"recipient_id": sender, "text": reply["text"]},
        {"recipient_id": sender, "custom": reply["custom"]},
    ]


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
                return bad_request("the body must be JSON: {\"sender\": \"<id>\", \"message\": \"<text>\"}")
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

            verdict = guard.inspect(text)
            if verdict.reply is not None:
                return response.json(as_rasa_messages(sender, verdict.reply))
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(verdict.text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except Exception:  # noqa: BLE001 - the user still gets a reply; the log keeps no message text
                log.exception("turn failed for a REST message")
            messages = collector.messages
            if not guard.has_envelope(messages):
                messages = messages + as_rasa_messages(sender, guard.no_answer_reply())
            return response.json(messages)

        return webhook
