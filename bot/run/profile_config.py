"""The production profile's settings, read from the environment.

The variables and their defaults are data (deploy/production.yml), shared by
`make run-production`, the Docker entry point and the tests; the Rasa servers
read the same variables through endpoints-production.yml, so one set of
values describes the whole deployment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import quote

from bot.core import settings
from bot.core.config import current

SETTINGS_FILE = settings.ROOT / "deploy" / "production.yml"
ENDPOINTS_FILE = settings.ROOT / "endpoints-production.yml"


def variables() -> dict[str, dict]:
    """Every production variable with its default and help text."""
    s = current()

    def build() -> dict[str, dict]:
        data = s.read_yaml(SETTINGS_FILE)
        return {name: {**spec, "default": str(spec.get("default", ""))} for name, spec in data["variables"].items()}

    return s.cached(SETTINGS_FILE, build)


@dataclass(frozen=True)
class ProductionSettings:
    pg_host: str
    pg_port: int
    pg_user: str
    pg_password: str
    pg_database: str
    redis_host: str
    redis_port: int
    redis_db: int
    redis_password: str
    redis_prefix: str
    lock_lifetime: float
    rasa_servers: int
    facts_db_url: str

    def pg_url(self, database: Optional[str] = None) -> str:
        """An SQLAlchemy URL for `database` (default: the conversations' database)."""
        auth = quote(self.pg_user, safe="")
        if self.pg_password:
            auth += ":" + quote(self.pg_password, safe="")
        return f"postgresql://{auth}@{self.pg_host}:{self.pg_port}/{database or self.pg_database}"

    @property
    def tracker_db_url(self) -> str:
        return self.pg_url()

    @property
    def pg_where(self) -> str:
        """Where PostgreSQL is, for messages (never the password)."""
        return f"{self.pg_host}:{self.pg_port}"

    @property
    def redis_where(self) -> str:
        return f"{self.redis_host}:{self.redis_port} (db {self.redis_db})"

    def environment(self) -> dict[str, str]:
        """The variables endpoints-production.yml and the action server need, as strings."""
        return {
            "BACKCARE_PROFILE": "production",
            "BACKCARE_PG_HOST": self.pg_host,
            "BACKCARE_PG_PORT": str(self.pg_port),
            "BACKCARE_PG_USER": self.pg_user,
            "BACKCARE_PG_PASSWORD": self.pg_password,
            "BACKCARE_PG_DATABASE": self.pg_database,
            "BACKCARE_REDIS_HOST": self.redis_host,
            "BACKCARE_REDIS_PORT": str(self.redis_port),
            "BACKCARE_REDIS_DB": str(self.redis_db),
            "BACKCARE_REDIS_PASSWORD": self.redis_password,
            "BACKCARE_REDIS_PREFIX": self.redis_prefix,
            "BACKCARE_LOCK_LIFETIME": f"{self.lock_lifetime:g}",
            "BACKCARE_RASA_SERVERS": str(self.rasa_servers),
            "BACKCARE_DB_URL": self.facts_db_url,
        }


def production_settings(environ: Optional[Mapping[str, str]] = None) -> ProductionSettings:
    """The settings from `environ` (default: this process's environment), defaults filled in."""
    env = os.environ if environ is None else environ
    value = {name: env.get(name, spec["default"]) for name, spec in variables().items()}
    partial = ProductionSettings(
        pg_host=value["BACKCARE_PG_HOST"],
        pg_port=int(value["BACKCARE_PG_PORT"]),
        pg_user=value["BACKCARE_PG_USER"],
        pg_password=value["BACKCARE_PG_PASSWORD"],
        pg_database=value["BACKCARE_PG_DATABASE"],
        redis_host=value["BACKCARE_REDIS_HOST"],
        redis_port=int(value["BACKCARE_REDIS_PORT"]),
        redis_db=int(value["BACKCARE_REDIS_DB"]),
        redis_password=value["BACKCARE_REDIS_PASSWORD"],
        redis_prefix=value["BACKCARE_REDIS_PREFIX"],
        lock_lifetime=float(value["BACKCARE_LOCK_LIFETIME"]),
        rasa_servers=int(value["BACKCARE_RASA_SERVERS"]),
        facts_db_url="",
    )
    # The fact base lives in the same database unless BACKCARE_DB_URL says otherwise.
    facts = env.get("BACKCARE_DB_URL") or partial.pg_url()
    return ProductionSettings(**{**partial.__dict__, "facts_db_url": facts})
