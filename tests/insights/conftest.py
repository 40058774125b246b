"""Stores seeded with known conversations: an SQLite file, and a scratch database on the real PostgreSQL."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.core import settings
from tests.insights.seed import NOW, Conversation, Seeded, population, save_all
from tests.support.services import pg_url, require_postgres, scratch_database


@pytest.fixture(scope="session")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(settings.ROOT / "domain.yml"))


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
