"""The assistant wired to the stand-in Bot API, as the Telegram tests drive it: post updates, read the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

import requests

from bot.run.harness import Assistant
from tests.telegram.standin import StandInBotApi

TOKEN = "424242:TEST-token_for_the_stand-in"


@dataclass
class Rig:
    assistant: Assistant
    api: StandInBotApi
    secret: str
    db_url: str

    @property
    def webhook(self) -> str:
        return f"{self.assistant.url}/webhooks/telegram/webhook"

    def post(
        self,
        update: object = None,
        secret: Optional[str] = "default",
        raw: Optional[bytes] = None,
    ) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        secret = self.secret if secret == "default" else secret
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if raw is not None:
            return requests.post(self.webhook, data=raw, headers=headers, timeout=30)
        return requests.post(self.webhook, json=update, headers=headers, timeout=30)

    def user_texts(self, sender: str) -> list[str]:
        """What the assistant's conversation store holds as this sender's messages."""
        path = quote(sender, safe=":")  # Sanic does not decode %3A in a path parameter
        return [e.get("text") for e in self.assistant.tracker(path).get("events", []) if e.get("event") == "user"]
