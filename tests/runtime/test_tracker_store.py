"""bot.rasa.tracker_store: the same rows as Rasa's SQL tracker store, written with less work per turn."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_store import LeanSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask_condition]
slots:
  last_topic: {type: text, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: hi}]
""")


def _turn(text: str, intent: str, topic: str) -> list[Event]:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}),
        ActionExecuted("action_answer"),
        BotUttered(f"about {topic}", {"custom": {"topic": topic}}),
        SlotSet("last_topic", topic),
        ActionExecuted("action_listen"),
    ]


def _session_start() -> list[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


# One conversation as Rasa's turns write it: a session, turns, and a new session after an idle spell.
TURNS = [
    _session_start() + _turn("hello", "greet", "chat.greet"),
    _turn("does it help sciatica", "ask_condition", "condition.sciatica"),
    _turn("and a slipped disc?", "ask_condition", "condition.herniated_disc"),
    _session_start() + _turn("back again", "greet", "chat.greet"),
    _turn("what about sciatica", "ask_condition", "condition.sciatica"),
]


def _converse(store: SQLTrackerStore, sender: str) -> None:
    async def run() -> None:
        for events in TURNS:
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(run())


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def test_a_conversation_is_stored_row_for_row_as_rasas_own_store_stores_it(tmp_path):
    stock = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "stock.db"))
    lean = LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "lean.db"))
    _converse(stock, "person")
    _converse(lean, "person")
    assert _rows(tmp_path / "lean.db") == _rows(tmp_path / "stock.db")
    assert len(_rows(tmp_path / "lean.db")) == sum(len(events) for events in TURNS)


def test_it_reads_back_what_rasas_store_reads_back(tmp_path):
    lean = LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "lean.db"))
    _converse(lean, "person")
    stock = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "lean.db"))
    mine, theirs = (asyncio.run(store.retrieve("person")) for store in (lean, stock))
    assert mine.current_state() == theirs.current_state()
    assert mine.get_slot("last_topic") == "condition.sciatica"


@pytest.mark.parametrize("read_first", [True, False])
def test_saves_with_or_without_a_read_before_them_write_what_rasas_store_writes(tmp_path, read_first):
    def save_twice_per_turn(store: SQLTrackerStore) -> None:
        tracker = DialogueStateTracker("person", DOMAIN.slots)
        for events in TURNS[:3]:
            if read_first:
                tracker = asyncio.run(store.retrieve("person")) or tracker
            for event in events:
                tracker.update(event)
            asyncio.run(store.save(tracker))
            asyncio.run(store.save(tracker))

    save_twice_per_turn(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "stock.db")))
    save_twice_per_turn(LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "lean.db")))
    assert _rows(tmp_path / "lean.db") == _rows(tmp_path / "stock.db")


def test_sqlite_commits_go_to_a_write_ahead_log(tmp_path):
    lean = LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "lean.db"))
    _converse(lean, "person")
    with sqlite3.connect(tmp_path / "lean.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reads_without_saves_do_not_grow_the_store_and_forgotten_counts_still_write_correct_rows(tmp_path, monkeypatch):
    """An API read (or an insights query) remembers a count that no save takes back: only the newest are kept."""
    import bot.rasa.tracker_store

    monkeypatch.setattr(bot.rasa.tracker_store, "REMEMBERED", 5)
    ours = LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    _converse(ours, "kept")

    async def read_only(senders: list[str]) -> None:
        for sender in senders:
            await ours.retrieve(sender)

    asyncio.run(read_only([f"reader-{n}" for n in range(50)]))
    assert len(ours._stored_in_session) == 5

    # A turn whose read was forgotten in between still appends exactly its new events.
    async def turn_with_forgotten_count() -> None:
        tracker = await ours.retrieve("kept")
        await read_only([f"other-{n}" for n in range(10)])  # pushes "kept" out
        for event in _turn("one more", "greet", "chat.greet"):
            tracker.update(event)
        await ours.save(tracker)

    asyncio.run(turn_with_forgotten_count())
    theirs = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "theirs.db"))
    _converse(theirs, "kept")

    async def their_turn() -> None:
        tracker = await theirs.retrieve("kept")
        for event in _turn("one more", "greet", "chat.greet"):
            tracker.update(event)
        await theirs.save(tracker)

    asyncio.run(their_turn())
    strip = lambda rows: [row[:2] + row[3:5] for row in rows]  # noqa: E731 - timestamps differ
    assert strip(_rows(tmp_path / "ours.db")) == strip(_rows(tmp_path / "theirs.db"))
