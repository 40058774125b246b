"""Stores seeded with known conversations: an SQLite file, and a scratch database on the real PostgreSQL."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import pytest
import sqlalchemy as sa

from bot.core import settings
from tests.conftest import IN_CI
from tests.insights.seed import Conversation, population, save_all
from tests.production.conftest import pg_url, scratch_database  # noqa: F401 - shared with test_bad_input

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
NOW = time.time()


def require_postgres() -> None:
    try:
        with sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3}, poolclass=sa.pool.NullPool).connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        message = f"needs PostgreSQL at 127.0.0.1:5432: {type(exc).__name__}"
        pytest.fail(message) if IN_CI else pytest.skip(message)


@pytest.fixture(scope="session")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(settings.ROOT / "domain.yml"))


@dataclass
class Seeded:
    url: str
    conversations: list[Conversation]
    now: float


@pytest.fixture(scope="session")
def conversations() -> list[Conversation]:
    return population(NOW)


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory, domain, conversations) -> Seeded:
    from bot.rasa.tracker_store import LeanSQLTrackerStore

    path = tmp_path_factory.mktemp("insights") / "conversations.db"
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(path))
    save_all(store, conversations)
    store.engine.dispose()
    return Seeded(f"sqlite:///{path}", conversations, NOW)


@pytest.fixture(scope="session")
def postgres_store(domain, conversations) -> Iterator[Seeded]:
    require_postgres()
    from bot.rasa.durable_tracker_store import DurableSQLTrackerStore

    with scratch_database("backcare_insights") as database:
        store = DurableSQLTrackerStore(domain=domain, host="127.0.0.1", port=5432, db=database, username="postgres")
        save_all(store, conversations)
        store.engine.dispose()
        yield Seeded(pg_url(database), conversations, NOW)


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request) -> Seeded:
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "postgres_store")
