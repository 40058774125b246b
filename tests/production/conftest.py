"""The production profile for real: two Rasa servers, one action server, PostgreSQL and Redis.

The servers start once for this package (each takes ~10 s and ~0.7 GB). They
reach the machine's PostgreSQL and Redis through fault proxies, so tests can
take either service away and bring it back without touching the shared
services; conversations go to a scratch database that is dropped at the end,
locks to their own Redis database and key prefix.
"""
from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import pytest
import redis
import requests
import sqlalchemy as sa

from bot.core.facts.content import read_content
from bot.core.facts.store import engine_for, load
from bot.rasa.channels.guard import no_answer_reply
from bot.run.cluster import Cluster, ClusterOptions
from bot.run.harness import Turn, free_port, new_api_token
from bot.run.profile_config import ProductionSettings, production_settings
from tests.conftest import IN_CI
from tests.production.faultproxy import FaultProxy

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 2


def pg_url(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


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
        message = "needs " + " and ".join(problems)
        pytest.fail(message) if IN_CI else pytest.skip(message)


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


def settings_for(database: str, prefix: str, pg_port: int = PG_PORT, redis_port: int = REDIS_PORT,
                 **extra: str) -> ProductionSettings:
    """Production settings for a test: only these values and the defaults, never the caller's shell."""
    return production_settings({
        "BACKCARE_PG_HOST": PG_HOST, "BACKCARE_PG_PORT": str(pg_port), "BACKCARE_PG_USER": PG_USER,
        "BACKCARE_PG_DATABASE": database, "BACKCARE_REDIS_HOST": REDIS_HOST,
        "BACKCARE_REDIS_PORT": str(redis_port), "BACKCARE_REDIS_DB": str(REDIS_DB),
        "BACKCARE_REDIS_PREFIX": prefix, **extra,
    })


# -- reading what PostgreSQL recorded ---------------------------------------------------------


@dataclass
class RecordedTurn:
    """One turn as stored: the user event and every event up to the next one."""

    user: dict
    events: list[dict]

    @property
    def seq(self) -> Optional[int]:
        return (self.user.get("metadata") or {}).get("seq")

    @property
    def topics(self) -> list[str]:
        return [e["data"]["custom"]["topic"] for e in self.events
                if e["event"] == "bot" and (e.get("data") or {}).get("custom")]


def recorded_turns(events: list[dict]) -> list[RecordedTurn]:
    """Split stored events into turns and check each is whole and none overlaps the next.

    A turn is whole when it ends listening; turns do not overlap in time when
    each starts after the previous one's last event, which is what the lock
    guarantees (without it, two servers' turns interleave or lose events).
    """
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "stored events are out of time order"
    turns: list[RecordedTurn] = []
    for event in events:
        if event["event"] == "user":
            turns.append(RecordedTurn(user=event, events=[]))
        elif turns:
            turns[-1].events.append(event)
    for turn in turns:
        assert turn.events, f"turn {turn.seq} has nothing after the user's message"
        last = turn.events[-1]
        assert last["event"] == "action" and last["name"] == "action_listen", \
            f"turn {turn.seq} is not whole: it ends with {last['event']} {last.get('name')}"
        assert any(e["event"] == "bot" for e in turn.events), f"turn {turn.seq} has no bot message"
    return turns


# -- the running servers ------------------------------------------------------------------------


@dataclass
class Production:
    cluster: Cluster
    config: ProductionSettings
    pg_proxy: FaultProxy
    redis_proxy: FaultProxy
    log_dir: Path
    database: str
    api_token: str
    sent: list[str] = field(default_factory=list)  # every text sent, to look for in the logs
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, server: int) -> str:
        return self.cluster.url(server)

    def post(self, server: int, sender: str, text: str, seq: Optional[int] = None,
             timeout: float = 120) -> requests.Response:
        with self._lock:
            self.sent.append(text)
        body = {"sender": sender, "message": text, "metadata": {"seq": seq} if seq is not None else {}}
        return requests.post(f"{self.url(server)}/webhooks/rest/webhook", json=body, timeout=timeout)

    def ask(self, server: int, sender: str, text: str, seq: Optional[int] = None) -> Turn:
        reply = self.post(server, sender, text, seq)
        reply.raise_for_status()
        return Turn(reply.json())

    def tracker(self, server: int, sender: str) -> dict:
        reply = requests.get(f"{self.url(server)}/conversations/{sender}/tracker",
                             params={"token": self.api_token}, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def stored(self, sender: str) -> list[dict]:
        """The sender's events as PostgreSQL holds them (read directly, not through the proxy)."""
        engine = engine_for(pg_url(self.database))
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).scalars()
            return [json.loads(row) for row in rows]

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))

    def ensure_whole(self) -> None:
        """Both services reachable and every server running (a test may have killed one)."""
        self.pg_proxy.restore()
        self.redis_proxy.restore()
        for index, port in enumerate(self.cluster.options.ports):
            if self.cluster.stack.servers[port].poll() is not None:
                self.cluster.restart(index)


def acknowledged(turn: Turn) -> bool:
    """A real answer, not the channel's "couldn't answer, try again" reply."""
    return turn.text != no_answer_reply()["text"]


@pytest.fixture(scope="package")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    require_services()
    with scratch_database() as database, redis_prefix() as prefix:
        pg_proxy = FaultProxy(PG_HOST, PG_PORT, free_port()).start()
        redis_proxy = FaultProxy(REDIS_HOST, REDIS_PORT, free_port()).start()
        # The servers reach both services through the proxies; the fact base (read by the
        # action server, which caches it) goes straight to PostgreSQL.
        config = settings_for(database, prefix, pg_proxy.port, redis_proxy.port,
                              BACKCARE_DB_URL=pg_url(database))
        load(read_content(), engine_for(config.facts_db_url))
        log_dir = tmp_path_factory.mktemp("production-logs")
        token = new_api_token()  # the tests read conversations back through Rasa's API
        cluster = Cluster(ClusterOptions(
            config=config, ports=(free_port(), free_port()), actions_port=free_port(), log_dir=log_dir,
            # Correctness is under test here, not latency: a slow turn must not be cut short.
            extra_env={"BACKCARE_TURN_TIMEOUT_SECONDS": "120", "BACKCARE_API_TOKEN": token},
        ))
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
