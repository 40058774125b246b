"""`bot privacy` against PostgreSQL: purge and delete remove exactly what they should, export returns it all.

The conversations are written by the production tracker store itself, with
timestamps in the past, so the rows are exactly what the Rasa servers write.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest

from bot.core import settings
from bot.rasa.durable_tracker_store import DurableSQLTrackerStore
from bot.rasa.lock_store import AtomicRedisLockStore
from bot.run.cli import main as bot
from tests.support.production import settings_for
from tests.support.services import (
    PG_HOST,
    PG_PORT,
    REDIS_DB,
    REDIS_HOST,
    pg_url,
    redis_prefix,
    require_services,
    scratch_database,
)

pytestmark = pytest.mark.services
DAY = 86400.0
NOW = time.time()


def session(start: float, texts: list[str], step: float = 60.0) -> list:
    """One conversation session as Rasa records it, starting at `start` (Unix seconds)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

    events = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
    ]
    for n, text in enumerate(texts, start=1):
        at = start + n * step
        events += [
            UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=at),
            BotUttered(f"reply to {text}", {"custom": {"topic": "chat.greet"}}, timestamp=at + 1),
            ActionExecuted("action_listen", timestamp=at + 2),
        ]
    return events


@dataclass
class Store:
    database: str
    tracker_store: DurableSQLTrackerStore
    written: dict  # sender -> list of sessions (lists of events)

    @property
    def url(self) -> str:
        return pg_url(self.database)

    def stored(self, sender: str) -> list[dict]:
        from bot.core.facts.store import engine_for
        from bot.privacy.events import export_sender

        with engine_for(self.url).connect() as connection:
            return export_sender(connection, sender)

    def stamps(self, sender: str) -> list[float]:
        return [e["timestamp"] for e in self.stored(sender)]


def _sessions(sessions: list[list]) -> list[float]:
    return [e.timestamp for s in sessions for e in s]


@pytest.fixture
def store():
    require_services()
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(settings.ROOT / "domain.yml"))
    with scratch_database("backcare_privacy") as database:
        tracker_store = DurableSQLTrackerStore(
            domain=domain, host=PG_HOST, port=PG_PORT, db=database, username="postgres"
        )
        conversations = {
            # everything is older than 30 days: the whole conversation goes
            "old": [session(NOW - 45 * DAY, ["hi", "what is swedish massage"])],
            # came back yesterday: the old session goes, the live one stays whole
            "returning": [session(NOW - 40 * DAY, ["hello", "bye"]), session(NOW - 1 * DAY, ["back again"])],
            # two sessions, both within the period: untouched
            "recent": [session(NOW - 3 * DAY, ["hi"]), session(NOW - 2 * DAY, ["sciatica?", "thanks"])],
            # one session that began before the cutoff and is still going on: kept whole
            "long": [session(NOW - 31 * DAY, ["first", "second"], step=6 * DAY)],
        }
        for sender, sessions in conversations.items():
            events = [e for s in sessions for e in s]
            tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
            asyncio.run(tracker_store.save(tracker))
        yield Store(database, tracker_store, conversations)
        tracker_store.engine.dispose()
        from bot.core.facts.store import engine_for

        engine_for(pg_url(database)).dispose()


def test_purge_deletes_exactly_what_is_older_than_the_period(store, capsys):
    live_before = asyncio.run(store.tracker_store.retrieve("returning")).current_state()
    assert bot(["privacy", "purge", "--older-than", "30d", "--db-url", store.url]) == 0
    expected = len(_sessions(store.written["old"])) + len(_sessions(store.written["returning"][:1]))
    assert f"deleted {expected} events: 1 conversation entirely, older sessions of 1 more" in capsys.readouterr().out

    assert store.stored("old") == []
    assert store.stamps("returning") == _sessions(store.written["returning"][1:])
    assert store.stamps("recent") == _sessions(store.written["recent"])
    assert store.stamps("long") == _sessions(store.written["long"])
    # What Rasa rebuilds for the returning person is exactly what it was.
    assert asyncio.run(store.tracker_store.retrieve("returning")).current_state() == live_before


def test_dry_run_counts_and_deletes_nothing(store, capsys):
    before = {sender: store.stamps(sender) for sender in store.written}
    assert bot(["privacy", "purge", "--older-than", "30d", "--dry-run", "--db-url", store.url]) == 0
    expected = len(_sessions(store.written["old"])) + len(_sessions(store.written["returning"][:1]))
    assert f"would delete {expected} events" in capsys.readouterr().out
    assert {sender: store.stamps(sender) for sender in store.written} == before


def test_a_shorter_period_also_trims_recent_conversations(store, capsys):
    assert bot(["privacy", "purge", "--older-than", "60h", "--db-url", store.url]) == 0
    assert store.stamps("recent") == _sessions(store.written["recent"][1:])
    assert store.stamps("returning") == _sessions(store.written["returning"][1:])
    assert store.stored("long") == [], "nothing in it is recent: the whole conversation goes"


def test_bad_periods_are_refused_with_a_clear_message(store, capsys):
    assert bot(["privacy", "purge", "--older-than", "1 month", "--db-url", store.url]) == 2
    assert "e.g. 30d" in capsys.readouterr().err
    assert store.stamps("old"), "nothing was deleted"


def test_delete_erases_one_sender_and_nobody_else(store, capsys):
    others = {sender: store.stamps(sender) for sender in store.written if sender != "recent"}
    assert bot(["privacy", "delete", "--sender", "recent", "--db-url", store.url]) == 0
    assert "Deleted the conversation of sender 'recent' (" in capsys.readouterr().out
    assert store.stored("recent") == []
    assert asyncio.run(store.tracker_store.retrieve("recent")) is None
    assert {sender: store.stamps(sender) for sender in others} == others


def test_export_returns_the_senders_whole_conversation(store, tmp_path, capsys):
    out = tmp_path / "export.json"
    assert bot(["privacy", "export", "--sender", "returning", "--out", str(out), "--db-url", store.url]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    written = [e for s in store.written["returning"] for e in s]
    assert document["sender_id"] == "returning"
    assert [e["timestamp"] for e in document["events"]] == [e.timestamp for e in written]
    assert [e["event"] for e in document["events"]] == [e.type_name for e in written]
    assert [(line["from"], line["text"]) for line in document["transcript"]] == [
        ("person" if e.type_name == "user" else "assistant", e.text) for e in written if e.type_name in ("user", "bot")
    ]


def test_export_of_an_unknown_sender_says_nothing_is_stored(store, capsys):
    assert bot(["privacy", "export", "--sender", "nobody", "--db-url", store.url]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["events"] == [] and document["transcript"] == []
    assert "No conversation is stored" in document["note"]


def test_delete_waits_for_a_turn_in_progress_in_the_production_profile(store):
    """A turn holding the conversation's lock finishes before the delete, so it cannot write it back."""
    with redis_prefix() as prefix:
        config = settings_for(store.database, prefix)
        env = {**os.environ, **config.environment()}
        lock_store = AtomicRedisLockStore(host=REDIS_HOST, port=config.redis_port, db=REDIS_DB, key_prefix=prefix)
        held, released_at = threading.Event(), []

        async def turn_in_progress() -> None:
            async with lock_store.lock("returning"):
                held.set()
                await asyncio.sleep(5)
                released_at.append(time.time())

        holder = threading.Thread(target=lambda: asyncio.run(turn_in_progress()))
        holder.start()
        assert held.wait(10)
        command = [sys.executable, "-m", "bot.run.cli", "privacy", "delete", "--sender", "returning"]
        done = subprocess.run(command, env=env, cwd=settings.ROOT, capture_output=True, text=True, timeout=60)
        finished_at = time.time()
        holder.join()
    assert done.returncode == 0, done.stderr
    assert "Deleted the conversation of sender 'returning'" in done.stdout
    assert finished_at >= released_at[0], "the delete ran while the turn still held the conversation"
    assert store.stored("returning") == []
