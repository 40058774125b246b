"""The Telegram channel's settings: read from environment variables named in credentials.yml.

Rasa's own `${VAR}` substitution refuses to start the server when a variable
is unset, and `make run` must work without Telegram. So credentials.yml names
the variables (`token_env: TELEGRAM_BOT_TOKEN`) and this module reads them;
a literal value under the plain key (`token: ...`, e.g. written as `${VAR}`
by a deployment that always sets it) takes precedence. Without a token and a
valid secret the channel is disabled: its webhook answers 503, nothing else
is affected.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from bot.core import settings

CHANNEL_KEY = "bot.rasa.channels.telegram.TelegramChannel"
DEFAULT_API_BASE = "https://api.telegram.org"
# The update kinds the channel reads; `bot telegram set-webhook` asks Telegram for these only.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
# What each setting is called in credentials.yml, and the variable it is read from by default.
DEFAULT_ENV = {
    "token": "TELEGRAM_BOT_TOKEN",
    "secret_token": "TELEGRAM_WEBHOOK_SECRET",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "bot_username": "TELEGRAM_BOT_USERNAME",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
}
_TOKEN = re.compile(r"(\d+):[A-Za-z0-9_-]+")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


@dataclass(frozen=True)
class TelegramConfig:
    token: Optional[str] = None
    secret_token: Optional[str] = None
    api_base_url: str = DEFAULT_API_BASE
    bot_username: Optional[str] = None
    webhook_url: Optional[str] = None

    @property
    def problem(self) -> Optional[str]:
        """Why the channel cannot run, or None when it can."""
        if not self.token:
            return "no bot token (set TELEGRAM_BOT_TOKEN)"
        if not _TOKEN.fullmatch(self.token):
            return "the bot token does not look like '<digits>:<letters>'"
        if not self.secret_token:
            return "no webhook secret (set TELEGRAM_WEBHOOK_SECRET); without it anyone could post updates"
        if not _SECRET.fullmatch(self.secret_token):
            return "the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-'"
        if not self.api_base_url.startswith(("http://", "https://")):
            return "the Bot API base URL must start with http:// or https://"
        return None

    @property
    def enabled(self) -> bool:
        return self.problem is None

    @property
    def bot_id(self) -> int:
        match = _TOKEN.fullmatch(self.token or "")
        if not match:
            raise ValueError("no valid bot token")
        return int(match.group(1))


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _setting(credentials: Mapping[str, Any], key: str, environ: Mapping[str, str]) -> Optional[str]:
    value = credentials.get(key)
    if value is not None:
        # `${VAR}` is already filled in when Rasa read the file, not when plain YAML did.
        value = _VARIABLE.sub(lambda m: environ.get(m.group(1), ""), str(value)).strip()
        if value:
            return value
    variable = credentials.get(f"{key}_env") or DEFAULT_ENV[key]
    value = environ.get(str(variable), "")
    return value.strip() or None


def config_from(
    credentials: Optional[Mapping[str, Any]], environ: Optional[Mapping[str, str]] = None
) -> TelegramConfig:
    credentials = credentials or {}
    environ = os.environ if environ is None else environ
    values = {key: _setting(credentials, key, environ) for key in DEFAULT_ENV}
    values["api_base_url"] = (values["api_base_url"] or DEFAULT_API_BASE).rstrip("/")
    if values["bot_username"]:
        values["bot_username"] = values["bot_username"].lstrip("@")
    return TelegramConfig(**values)


def config_from_file(path: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> TelegramConfig:
    """The settings as the running server sees them, for `bot telegram ...` commands."""
    path = Path(path or settings.ROOT / "credentials.yml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    section = (raw or {}).get(CHANNEL_KEY)
    return config_from(section if isinstance(section, Mapping) else {}, environ)
