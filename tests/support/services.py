"""The machine's PostgreSQL and Redis as the tests use them: addresses, scratch databases, key prefixes.

Under CI a missing service fails the test (it must never pass by skipping);
on a developer's machine it skips, naming what is missing.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import redis
import sqlalchemy as sa

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 2


def pg_url(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


# Where the fact-base and insights tests create their scratch databases.
PG_ADMIN_URL = os.environ.get("BACKCARE_TEST_PG_URL", pg_url("test"))


def skip_or_fail(message: str) -> None:
    """A missing service: a failure under CI, a skip elsewhere."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_services() -> None:
    """PostgreSQL and Redis must answer; under CI their absence is a failure, never a skip."""
    problems = []
    try:
        with sa.create_engine(pg_url("postgres"), connect_args={"connect_timeout": 3}).connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        problems.append(f"PostgreSQL at {PG_HOST}:{PG_PORT}: {type(exc).__name__}")
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {REDIS_HOST}:{REDIS_PORT}: {type(exc).__name__}")
    if problems:
        skip_or_fail("needs " + " and ".join(problems))


def require_postgres() -> None:
    """PostgreSQL at PG_ADMIN_URL must answer (the fact-base and insights tests need nothing else)."""
    try:
        with sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3}, poolclass=sa.pool.NullPool).connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        skip_or_fail(f"needs PostgreSQL at {PG_HOST}:{PG_PORT}: {type(exc).__name__}")


@contextmanager
def scratch_database(prefix: str = "backcare_test") -> Iterator[str]:
    """A PostgreSQL database of our own, dropped afterwards whoever is still connected."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A key prefix of our own in the test Redis database; its keys are removed afterwards."""
    prefix = f"bctest{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
