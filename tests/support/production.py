"""The production profile under test: its settings, the running servers, and the turns PostgreSQL recorded."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import requests
import sqlalchemy as sa

from bot.core.facts.store import engine_for
from bot.rasa.channels.guard import no_answer_reply
from bot.run.cluster import Cluster
from bot.run.harness import Turn
from bot.run.profile_config import ProductionSettings, production_settings
from tests.production.faultproxy import FaultProxy
from tests.support.services import PG_HOST, PG_PORT, PG_USER, REDIS_DB, REDIS_HOST, REDIS_PORT, pg_url


def settings_for(
    database: str, prefix: str, pg_port: int = PG_PORT, redis_port: int = REDIS_PORT, **extra: str
) -> ProductionSettings:
    """Production settings for a test: only these values and the defaults, never the caller's shell."""
    return production_settings(
        {
            "BACKCARE_PG_HOST": PG_HOST,
            "BACKCARE_PG_PORT": str(pg_port),
            "BACKCARE_PG_USER": PG_USER,
            "BACKCARE_PG_DATABASE": database,
            "BACKCARE_REDIS_HOST": REDIS_HOST,
            "BACKCARE_REDIS_PORT": str(redis_port),
            "BACKCARE_REDIS_DB": str(REDIS_DB),
            "BACKCARE_REDIS_PREFIX": prefix,
            **extra,
        }
    )


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
        return [
            e["data"]["custom"]["topic"]
            for e in self.events
            if e["event"] == "bot" and (e.get("data") or {}).get("custom")
        ]


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
        assert last["event"] == "action" and last["name"] == "action_listen", (
            f"turn {turn.seq} is not whole: it ends with {last['event']} {last.get('name')}"
        )
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

    def post(
        self, server: int, sender: str, text: str, seq: Optional[int] = None, timeout: float = 120
    ) -> requests.Response:
        with self._lock:
            self.sent.append(text)
        body = {"sender": sender, "message": text, "metadata": {"seq": seq} if seq is not None else {}}
        return requests.post(f"{self.url(server)}/webhooks/rest/webhook", json=body, timeout=timeout)

    def ask(self, server: int, sender: str, text: str, seq: Optional[int] = None) -> Turn:
        reply = self.post(server, sender, text, seq)
        reply.raise_for_status()
        return Turn(reply.json())

    def tracker(self, server: int, sender: str) -> dict:
        reply = requests.get(
            f"{self.url(server)}/conversations/{sender}/tracker", params={"token": self.api_token}, timeout=60
        )
        reply.raise_for_status()
        return reply.json()

    def stored(self, sender: str) -> list[dict]:
        """The sender's events as PostgreSQL holds them (read directly, not through the proxy)."""
        engine = engine_for(pg_url(self.database))
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).scalars()
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
