"""The real assistant wired to a stand-in Bot API: what Telegram would see, without Telegram."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

import pytest
import requests

from bot.run.harness import Assistant, start_assistant
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

    def post(self, update: object = None, secret: Optional[str] = "default", raw: Optional[bytes] = None,
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


@pytest.fixture(scope="session")
def bot_api() -> StandInBotApi:
    api = StandInBotApi(TOKEN).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def telegram(tmp_path_factory: pytest.TempPathFactory, bot_api: StandInBotApi) -> Rig:
    tmp = tmp_path_factory.mktemp("telegram")
    secret = secrets.token_urlsafe(24)
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": secret,
        "TELEGRAM_API_BASE_URL": bot_api.url,
        "TELEGRAM_BOT_USERNAME": "",  # learnt from one getMe, as when it is not configured
    }
    assistant = start_assistant(tmp, extra_env=env, api=True)
    yield Rig(assistant=assistant, api=bot_api, secret=secret, db_url=f"sqlite:///{tmp / 'facts.db'}")
    assistant.stack.stop()
