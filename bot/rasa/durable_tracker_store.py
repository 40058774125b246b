"""Rasa's SQL tracker store on PostgreSQL, made safe for several servers and for outages.

Same table and rows as Rasa's SQLTrackerStore (so `bot privacy`, Rasa's own
tools and a later switch back all work). Built on the lean store of
bot/rasa/tracker_store.py (no second count per turn, one INSERT), with four changes:

- Rasa logs SQL errors whole, and their statement parameters are the events,
  message texts included; this engine never puts parameters into errors.
- After a PostgreSQL restart the pooled connections are dead; each is checked
  before use (`pool_pre_ping`) so the first turns after the restart succeed.
- At start-up Rasa retries an unreachable database forever, printing only the
  driver's error every 5 s; here it waits `startup_wait` seconds, saying
  which PostgreSQL it waits for, and then fails with that message.
- Rasa wraps every tracker store so that a failing read is answered as "new
  conversation" and a failing write goes to memory: the turn is still
  answered (and emergency replies must be). But if PostgreSQL came back
  between that failed read and the write, Rasa would append the fresh
  conversation's events after the real one's, a corrupt record. A sender
  whose read failed is therefore not written until a read succeeds again.

Several servers start at once and each creates the table if it is missing;
an advisory lock makes them take turns instead of logging a spurious error.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import reason
from bot.rasa.tracker_store import LeanSQLTrackerStore

log = logging.getLogger(__name__)
_CREATE_TABLES_LOCK = 0x6261636B  # an arbitrary advisory-lock id ("back")


class TrackerStoreUnavailable(RuntimeError):
    """PostgreSQL could not be read or written; the message names it, never the data."""


class DurableSQLTrackerStore(LeanSQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Any] = None,
        dialect: str = "postgresql",
        host: Optional[str] = None,
        port: Optional[int | str] = None,
        db: str = "backcare",
        username: Optional[str] = None,
        password: Optional[str] = None,
        event_broker: Optional[Any] = None,
        login_db: Optional[str] = None,
        query: Optional[dict] = None,
        startup_wait: float | str = 60,
        connect_timeout: int | str = 5,
        **kwargs: Any,
    ) -> None:
        password = password or None
        port = int(port) if port not in (None, "") else None
        url = self.get_db_url(dialect, host, port, db, username, password, login_db, query)
        self.where = f"PostgreSQL tracker store at {host}:{port} (database {db})"
        engine_kwargs = create_engine_kwargs(url)
        connect_args = {**engine_kwargs.pop("connect_args", {}), "connect_timeout": int(connect_timeout)}
        engine = sa.create_engine(
            url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args, **engine_kwargs
        )
        self._wait_until_reachable(engine, float(startup_wait))
        with self._one_server_at_a_time(engine):
            super().__init__(
                domain, dialect, host, port, db, username, password, event_broker, login_db, query, **kwargs
            )
        self.engine.dispose()
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        self._read_failed: set[str] = set()
        log.info("Conversations are stored in the %s", self.where)

    def _wait_until_reachable(self, engine: sa.engine.Engine, seconds: float) -> None:
        """PostgreSQL may still be starting (a container started alongside): wait, saying for what."""
        deadline, said_at = time.monotonic() + seconds, float("-inf")
        while True:
            try:
                with engine.connect():
                    return
            except SQLAlchemyError as exc:
                if time.monotonic() >= deadline:
                    raise TrackerStoreUnavailable(f"{self.where} is not reachable: {reason(exc)}") from None
                if time.monotonic() - said_at >= 10:
                    log.warning(
                        "%s is not reachable yet (%s); retrying for up to %.0f s",
                        self.where,
                        reason(exc),
                        deadline - time.monotonic(),
                    )
                    said_at = time.monotonic()
                time.sleep(1)

    @staticmethod
    @contextmanager
    def _one_server_at_a_time(engine: sa.engine.Engine) -> Iterator[None]:
        """An advisory lock around table creation (PostgreSQL only)."""
        if engine.dialect.name != "postgresql":
            yield
            return
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": _CREATE_TABLES_LOCK})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _CREATE_TABLES_LOCK})

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            tracker = await super().retrieve(sender_id)
        except SQLAlchemyError as exc:
            self._read_failed.add(sender_id)
            raise TrackerStoreUnavailable(f"{self.where} could not be read: {reason(exc)}") from None
        self._read_failed.discard(sender_id)
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except SQLAlchemyError as exc:
            raise TrackerStoreUnavailable(f"{self.where} could not be read: {reason(exc)}") from None

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.sender_id in self._read_failed:
            raise TrackerStoreUnavailable(
                f"this turn started without the stored conversation ({self.where} could not be read), "
                "so it is not stored: writing it would corrupt the stored conversation"
            )
        try:
            await super().save(tracker)
        except SQLAlchemyError as exc:
            raise TrackerStoreUnavailable(f"{self.where} could not be written: {reason(exc)}") from None

    async def keys(self):
        try:
            return await super().keys()
        except SQLAlchemyError as exc:
            raise TrackerStoreUnavailable(f"{self.where} could not be read: {reason(exc)}") from None
