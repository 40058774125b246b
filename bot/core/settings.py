"""Where the assistant finds its files and services.

Everything is resolved relative to the project root so that `make run`, the
tests and the action server agree, whatever the working directory; each
location can be overridden by an environment variable for deployments.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

ROOT = Path(os.environ.get("BACKCARE_ROOT", Path(__file__).resolve().parents[2]))
CONTENT_DIR = ROOT / "content"
FACTS_DIR = Path(os.environ.get("BACKCARE_FACTS_DIR", CONTENT_DIR / "facts"))
SOURCES_FILE = Path(os.environ.get("BACKCARE_SOURCES_FILE", CONTENT_DIR / "sources.yml"))
REGIONS_DIR = Path(os.environ.get("BACKCARE_REGIONS_DIR", CONTENT_DIR / "regions"))
ROUTING_FILE = CONTENT_DIR / "routing.yml"
CLINIC_FILE = Path(os.environ.get("BACKCARE_CLINIC_FILE", CONTENT_DIR / "clinic.yml"))
RED_FLAGS_FILE = Path(os.environ.get("BACKCARE_RED_FLAGS_FILE", CONTENT_DIR / "red_flags.yml"))
MODELS_DIR = Path(os.environ.get("BACKCARE_MODELS_DIR", ROOT / "models"))
STATE_DIR = Path(os.environ.get("BACKCARE_STATE_DIR", ROOT / ".state"))


def db_url() -> str:
    """The fact base's database; an SQLite file next to the project by default."""
    default = f"sqlite:///{STATE_DIR / 'facts.db'}"
    return os.environ.get("BACKCARE_DB_URL", default)


def profile() -> str:
    """`embedded` (SQLite, in-memory locks) or `production` (PostgreSQL, Redis)."""
    return os.environ.get("BACKCARE_PROFILE", "embedded")


def host(environ: Mapping[str, str] = os.environ) -> str:
    """The interface the Rasa servers listen on: loopback unless `BACKCARE_HOST` says otherwise.

    A clinic exposes the widget and Telegram through a reverse proxy on the same
    machine (docs/deploy.md), so nothing needs to listen on a public interface."""
    return environ.get("BACKCARE_HOST", "").strip() or "127.0.0.1"


def api_token() -> str | None:
    """`BACKCARE_API_TOKEN`: Rasa's HTTP API (conversations, model) is served only when it is set."""
    return os.environ.get("BACKCARE_API_TOKEN", "").strip() or None
