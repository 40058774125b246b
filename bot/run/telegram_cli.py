"""`bot telegram set-webhook` and `bot telegram webhook-info`.

The webhook is registered by this explicit command, never while the server
starts: a server must start without network, and registering is a one-off
step of setting a bot up. The command registers the secret that the channel
checks on every update and the only update kinds the channel reads.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional
from urllib.parse import urlsplit

from bot.rasa.channels.telegram_api import BotApiError, call_sync
from bot.rasa.channels.telegram_config import ALLOWED_UPDATES, DEFAULT_API_BASE, TelegramConfig, config_from_file

WEBHOOK_PATH = "/webhooks/telegram/webhook"


def webhook_url_for(url: str) -> str:
    """Accept the server's base URL or the full webhook URL."""
    url = url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def _config() -> Optional[TelegramConfig]:
    config = config_from_file()
    if not config.enabled:
        print(f"error: the Telegram channel is not configured: {config.problem}", file=sys.stderr)
        return None
    return config


def set_webhook(url: Optional[str], drop_pending: bool) -> int:
    config = _config()
    if config is None:
        return 1
    url = url or config.webhook_url
    if not url:
        print(
            "error: give the public URL: bot telegram set-webhook --url https://bot.example.com "
            "(or set TELEGRAM_WEBHOOK_URL)",
            file=sys.stderr,
        )
        return 2
    url = webhook_url_for(url)
    if urlsplit(url).scheme != "https" and config.api_base_url == DEFAULT_API_BASE:
        print("error: Telegram only delivers to https:// webhooks", file=sys.stderr)
        return 2
    payload = {
        "url": url,
        "secret_token": config.secret_token,
        "allowed_updates": list(ALLOWED_UPDATES),
        "drop_pending_updates": drop_pending,
    }
    try:
        call_sync(config.token or "", config.api_base_url, "setWebhook", payload)
    except BotApiError as exc:
        print(f"error: Telegram refused the webhook: {exc.description}", file=sys.stderr)
        return 1
    print(f"Webhook set: Telegram now sends {', '.join(ALLOWED_UPDATES)} updates to {url}")
    return 0


def webhook_info() -> int:
    config = _config()
    if config is None:
        return 1
    try:
        info = call_sync(config.token or "", config.api_base_url, "getWebhookInfo")
    except BotApiError as exc:
        print(f"error: {exc.description}", file=sys.stderr)
        return 1
    info = info if isinstance(info, dict) else {}
    print(f"URL:               {info.get('url') or '(none)'}")
    print(f"Pending updates:   {info.get('pending_update_count', 0)}")
    print(f"Allowed updates:   {', '.join(info.get('allowed_updates') or []) or '(all)'}")
    if info.get("last_error_message"):
        print(f"Last error:        {info['last_error_message']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    telegram = subparsers.add_parser("telegram", help="set up the Telegram bot's webhook")
    sub = telegram.add_subparsers(dest="telegram_command", required=True)
    setter = sub.add_parser("set-webhook", help="register this server's webhook URL and secret with Telegram")
    setter.add_argument(
        "--url",
        default=None,
        help=f"the server's public https URL (default: TELEGRAM_WEBHOOK_URL); {WEBHOOK_PATH} is added if missing",
    )
    setter.add_argument(
        "--drop-pending-updates", action="store_true", help="discard updates Telegram queued while no webhook was set"
    )
    setter.set_defaults(func=lambda args: set_webhook(args.url, args.drop_pending_updates))
    sub.add_parser("webhook-info", help="show what Telegram knows about the webhook").set_defaults(
        func=lambda args: webhook_info()
    )
