"""The production profile for real: two Rasa servers, one action server, PostgreSQL and Redis.

The servers start once for this package (each takes ~10 s and ~0.7 GB). They
reach the machine's PostgreSQL and Redis through fault proxies, so tests can
take either service away and bring it back without touching the shared
services; conversations go to a scratch database that is dropped at the end,
locks to their own Redis database and key prefix.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.core.facts.content import read_content
from bot.core.facts.store import engine_for, load
from bot.run.cluster import Cluster, ClusterOptions
from bot.run.harness import free_port, new_api_token
from tests.production.faultproxy import FaultProxy
from tests.support.production import Production, settings_for
from tests.support.services import (
    PG_HOST,
    PG_PORT,
    REDIS_HOST,
    REDIS_PORT,
    pg_url,
    redis_prefix,
    require_services,
    scratch_database,
)


@pytest.fixture(scope="package")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    require_services()
    with scratch_database() as database, redis_prefix() as prefix:
        pg_proxy = FaultProxy(PG_HOST, PG_PORT, free_port()).start()
        redis_proxy = FaultProxy(REDIS_HOST, REDIS_PORT, free_port()).start()
        # The servers reach both services through the proxies; the fact base (read by the
        # action server, which caches it) goes straight to PostgreSQL.
        config = settings_for(database, prefix, pg_proxy.port, redis_proxy.port, BACKCARE_DB_URL=pg_url(database))
        load(read_content(), engine_for(config.facts_db_url))
        log_dir = tmp_path_factory.mktemp("production-logs")
        token = new_api_token()  # the tests read conversations back through Rasa's API
        cluster = Cluster(
            ClusterOptions(
                config=config,
                ports=(free_port(), free_port()),
                actions_port=free_port(),
                log_dir=log_dir,
                # Correctness is under test here, not latency: a slow turn must not be cut short.
                extra_env={"BACKCARE_TURN_TIMEOUT_SECONDS": "120", "BACKCARE_API_TOKEN": token},
            )
        )
        try:
            cluster.start()
            yield Production(cluster, config, pg_proxy, redis_proxy, log_dir, database, token)
        finally:
            cluster.stop()
            pg_proxy.close()
            redis_proxy.close()
            engine_for(pg_url(database)).dispose()


@pytest.fixture
def whole(production: Production) -> Production:
    """The running production servers, put back together first if an earlier test broke them."""
    production.ensure_whole()
    return production
