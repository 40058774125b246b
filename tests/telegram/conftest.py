"""The real assistant wired to a stand-in Bot API: what Telegram would see, without Telegram."""

from __future__ import annotations

import secrets

import pytest

from bot.run.harness import start_assistant
from tests.support.telegram_rig import TOKEN, Rig
from tests.telegram.standin import StandInBotApi


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
