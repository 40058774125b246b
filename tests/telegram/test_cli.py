"""`bot telegram set-webhook` registers the URL, the secret and the update kinds, and only when configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.core import settings
from bot.rasa.channels.telegram_config import ALLOWED_UPDATES
from tests.support.telegram_rig import TOKEN

pytestmark = pytest.mark.slow  # each test starts the CLI in a process of its own (Rasa imports: seconds)


def bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "telegram", *args],
        cwd=settings.ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_set_webhook_registers_url_secret_and_update_kinds(bot_api):
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "cli-secret_1", "TELEGRAM_API_BASE_URL": bot_api.url}
    done = bot("set-webhook", "--url", "https://bot.example.org/", env=env)
    assert done.returncode == 0, done.stderr
    assert bot_api.webhook == {
        "url": "https://bot.example.org/webhooks/telegram/webhook",
        "secret_token": "cli-secret_1",
        "allowed_updates": list(ALLOWED_UPDATES),
        "drop_pending_updates": False,
    }
    info = bot("webhook-info", env=env)
    assert info.returncode == 0 and "https://bot.example.org/webhooks/telegram/webhook" in info.stdout
    assert TOKEN not in done.stdout + done.stderr + info.stdout + info.stderr, "the token is never printed"


def test_set_webhook_uses_the_configured_url_and_reports_telegrams_refusal(bot_api):
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": "cli-secret_2",
        "TELEGRAM_API_BASE_URL": bot_api.url,
        "TELEGRAM_WEBHOOK_URL": "https://other.example.org",
    }
    done = bot("set-webhook", "--drop-pending-updates", env=env)
    assert done.returncode == 0, done.stderr
    assert bot_api.webhook["url"] == "https://other.example.org/webhooks/telegram/webhook"
    assert bot_api.webhook["drop_pending_updates"] is True

    before = len(bot_api.calls_to("setWebhook"))
    refused = bot("set-webhook", env={**env, "TELEGRAM_BOT_TOKEN": "424242:wrong"})
    assert refused.returncode == 1
    assert "Unauthorized" in refused.stderr  # the stand-in, like Telegram, refuses an unknown token
    assert len(bot_api.calls_to("setWebhook")) == before


def test_set_webhook_without_configuration_changes_nothing(bot_api):
    before = len(bot_api.calls)
    done = bot("set-webhook", "--url", "https://bot.example.org", env={"TELEGRAM_API_BASE_URL": bot_api.url})
    assert done.returncode == 1 and "TELEGRAM_BOT_TOKEN" in done.stderr
    no_secret = bot(
        "set-webhook",
        "--url",
        "https://bot.example.org",
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": bot_api.url},
    )
    assert no_secret.returncode == 1 and "TELEGRAM_WEBHOOK_SECRET" in no_secret.stderr
    assert len(bot_api.calls) == before
