"""Before the production servers start: are PostgreSQL and Redis there?

Left to itself, a Rasa server whose PostgreSQL is down retries forever with
a driver error every five seconds, and one whose Redis is down starts fine
and fails later. `make run-production` checks both first and stops with one
sentence naming the service, where it was looked for, and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import first_line
from bot.run.profile_config import ProductionSettings

CONNECT_TIMEOUT = 3


class ServiceUnavailable(RuntimeError):
    """A service the production profile needs cannot be used; str() says which and what to do."""


@dataclass(frozen=True)
class Checked:
    """What the preflight found, for the start-up banner."""

    created_database: bool


def _engine(url: str) -> sa.engine.Engine:
    return sa.create_engine(
        url,
        hide_parameters=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )


def ensure_postgres(config: ProductionSettings) -> bool:
    """Check PostgreSQL answers, and create the conversations' database if missing; True if created."""
    try:
        with _engine(config.pg_url("postgres")).connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": config.pg_database}
            ).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{config.pg_database}"'))
    except SQLAlchemyError as exc:
        raise ServiceUnavailable(
            f"PostgreSQL at {config.pg_where} (user {config.pg_user}) is not reachable: {first_line(exc)}. "
            "Start PostgreSQL, or point BACKCARE_PG_HOST / BACKCARE_PG_PORT / BACKCARE_PG_USER at it."
        ) from None
    return not exists


def check_postgres_url(url: str, what: str) -> None:
    """Check one database URL (e.g. the fact base's) can be opened."""
    try:
        with _engine(url).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as exc:
        where = sa.engine.make_url(url)
        raise ServiceUnavailable(
            f"the {what} database at {where.host}:{where.port} (database {where.database}) "
            f"is not reachable: {first_line(exc)}. Check BACKCARE_DB_URL."
        ) from None


def check_redis(config: ProductionSettings) -> None:
    client = redis.Redis(
        host=config.redis_host,
        port=config.redis_port,
        db=config.redis_db,
        password=config.redis_password or None,
        socket_timeout=CONNECT_TIMEOUT,
        socket_connect_timeout=CONNECT_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            f"Redis at {config.redis_where} is not reachable: {first_line(exc)}. "
            "Start Redis, or point BACKCARE_REDIS_HOST / BACKCARE_REDIS_PORT at it."
        ) from None
    finally:
        client.close()


def preflight(config: ProductionSettings) -> Checked:
    """Raise ServiceUnavailable naming the first service that is down."""
    created = ensure_postgres(config)
    if config.facts_db_url != config.tracker_db_url:
        check_postgres_url(config.facts_db_url, "fact base")
    check_redis(config)
    return Checked(created_database=created)
