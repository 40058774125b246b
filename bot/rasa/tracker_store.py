"""Rasa's SQL tracker store, without the per-turn work it need not do.

Same table, same rows, same reads as Rasa's SQLTrackerStore; measured in
`make bench` (docs/performance.md). Per turn, Rasa's store reads the
conversation, then, to write, counts the stored rows again and adds the new
events one ORM object at a time. Here:

- The count comes from the read that began the same turn. A turn reads
  before it writes, under the conversation's lock, and nothing else writes
  that conversation in between, so it is the number the second query would
  return. A write with no read before it (none in Rasa's turn) counts as Rasa does.
- The new events go in as one multi-row INSERT.
- On SQLite (the embedded profile, one Rasa server per file): one connection
  kept open instead of a new one per query, in write-ahead-log mode with
  `synchronous=NORMAL`. A commit survives the process being killed; only a
  power cut can take back the last turns.

The counts are remembered for the most recent conversations only
(`REMEMBERED`): a read without a save (the HTTP API, the insights report)
must not grow a server's memory, and a save whose count was forgotten counts
as Rasa does. When `bot.rasa.compat` is off (another Rasa version, or
`BACKCARE_STOCK_RASA=1`) it is Rasa's store as shipped, readiness check included.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import OrderedDict
from typing import Any, Iterable, Optional

import sqlalchemy as sa
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.rasa import compat, readiness

REMEMBERED = 10_000  # conversations whose stored-row count is kept between a turn's read and its write


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LeanSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # sender -> rows since its session began, as last read; oldest first
        self._stored_in_session: OrderedDict[str, int] = OrderedDict()
        self.lean = compat.enabled()  # else Rasa's own store, as shipped
        if self.lean and self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        readiness.register("tracker store", self.unavailable)

    async def unavailable(self) -> Optional[str]:
        """None when the database answers a query; raises (for bot.rasa.readiness) when it does not."""

        def probe() -> None:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))

        await asyncio.get_running_loop().run_in_executor(None, probe)
        return None

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        tracker = await super().retrieve(sender_id)
        if self.lean and self.domain is not None:  # without a domain Rasa returns None whatever is stored
            self._stored_in_session[sender_id] = len(tracker.events) if tracker else 0
            self._stored_in_session.move_to_end(sender_id)
            if len(self._stored_in_session) > REMEMBERED:
                self._stored_in_session.popitem(last=False)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self.lean:
            return await super().save(tracker)
        await self.stream_events(tracker)
        stored = self._stored_in_session.pop(tracker.sender_id, None)
        with self.session_scope() as session:
            if stored is None:
                new: Iterable[Event] = compat.additional_events(self, session, tracker)
            else:
                new = itertools.islice(tracker.events, stored, None)
            rows = [self._row(tracker.sender_id, event) for event in new]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's own save() writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
