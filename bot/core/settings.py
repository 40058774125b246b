"""The process's settings under their older names (`settings.ROOT`, `settings.db_url()`...).

The configuration itself is `bot.core.config.Settings`; these names read the
process's current settings each time, so code that uses them follows
`config.using(...)` and `BACKCARE_ROOT` like code that is given a `Settings`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from bot.core.config import Settings, current

_NAMES = {
    "ROOT": "root",
    "FACTS_DIR": "facts_dir",
    "SOURCES_FILE": "sources_file",
    "REGIONS_DIR": "regions_dir",
    "ROUTING_FILE": "routing_file",
    "TOPICS_FILE": "topics_file",
    "CLINIC_FILE": "clinic_file",
    "RED_FLAGS_FILE": "red_flags_file",
    "CHANNELS_FILE": "channels_file",
    "NLU_DIR": "nlu_dir",
    "MODELS_DIR": "models_dir",
    "STATE_DIR": "state_dir",
    "CONTENT_DIR": "content_dir",
}


def __getattr__(name: str) -> Path:
    if name in _NAMES:
        return getattr(current(), _NAMES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def db_url() -> str:
    """The fact base's database; an SQLite file next to the project by default."""
    return current().facts_db_url


def profile() -> str:
    """`embedded` (SQLite, in-memory locks) or `production` (PostgreSQL, Redis)."""
    return current().profile


def host(environ: Mapping[str, str] = os.environ) -> str:
    """The interface the Rasa servers listen on: loopback unless `BACKCARE_HOST` says otherwise.

    A clinic exposes the widget and Telegram through a reverse proxy on the same
    machine (docs/deploy.md), so nothing needs to listen on a public interface."""
    return current().host if environ is os.environ else Settings.from_env(environ).host


def api_token() -> str | None:
    """`BACKCARE_API_TOKEN`: Rasa's HTTP API (conversations, model) is served only when it is set."""
    return current().api_token
