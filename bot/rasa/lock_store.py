"""Per-conversation locks in Redis that stay correct with several Rasa servers.

Rasa takes a conversation's lock around every turn so that two messages of
one person are never processed at the same time (the second would be stored
on top of a conversation that no longer exists). Rasa 3.6's RedisLockStore
reads the lock, changes it in Python and writes it back, so two servers doing
that at once can both be handed the same ticket and process the same
conversation together (RasaHQ/rasa#9213). Here:

- every change to a lock is one Redis transaction (WATCH/MULTI), and a ticket
  is a random token in a queue, so tickets are unique and served in order
  across any number of servers, and times come from Redis's own clock;
- a ticket is a lease: its holder renews it while the turn runs and a waiter
  renews it while it waits, so the lifetime can be short; a server killed
  mid-turn keeps its conversation waiting for at most one lifetime;
- if Redis cannot be reached, turns are still answered (an emergency reply
  must never wait on the lock store) under a lock of this server only, and
  the log says Redis is down; Redis locks are used again once it answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import AsyncIterator, Callable, Optional, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.core.errors import reason
from bot.rasa import readiness

log = logging.getLogger(__name__)
T = TypeVar("T")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


@dataclass
class TicketQueue:
    """The waiting line of one conversation: the first ticket is being served."""

    tickets: list[list] = field(default_factory=list)  # [token, expires_at]

    @classmethod
    def loads(cls, raw: Optional[bytes]) -> "TicketQueue":
        return cls(json.loads(raw)["tickets"]) if raw else cls()

    def dumps(self) -> str:
        return json.dumps({"tickets": self.tickets})

    def drop_expired(self, now: float) -> None:
        self.tickets = [t for t in self.tickets if t[1] > now]

    def position(self, token: str) -> Optional[int]:
        return next((i for i, t in enumerate(self.tickets) if t[0] == token), None)

    def add(self, token: str, expires: float) -> None:
        if self.position(token) is None:  # a retried transaction must not queue twice
            self.tickets.append([token, expires])

    def remove(self, token: str) -> None:
        self.tickets = [t for t in self.tickets if t[0] != token]

    def renew(self, token: str, expires: float) -> bool:
        index = self.position(token)
        if index is not None:
            self.tickets[index][1] = expires
        return index is not None


class AtomicRedisLockStore(LockStore):
    """A ticket lock per conversation in Redis; see the module docstring."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **options: object) -> None:
        """Rasa passes `endpoint_config` (the lock_store section of the endpoints file); code passes keywords."""
        super().__init__()
        if endpoint_config is not None:
            options = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **options}
        self._configure(**options)  # type: ignore[arg-type]

    def _configure(
        self,
        host: str = "localhost",
        port: int | str = 6379,
        db: int | str = 1,
        password: Optional[str] = None,
        key_prefix: Optional[str] = None,
        lock_lifetime: float | str = 20,
        poll_seconds: float | str = 0.05,
        socket_timeout: float | str = 3,
        max_wait_seconds: float | str = 300,
        retry_redis_after: float | str = 5,
        use_ssl: bool | str = False,
    ) -> None:
        self.host, self.port, self.db = host, int(port), int(db)
        self.key_prefix = f"{key_prefix}:lock:" if key_prefix else "lock:"
        self.lifetime = float(lock_lifetime)
        self.poll_seconds = float(poll_seconds)
        self.max_wait_seconds = float(max_wait_seconds)
        self.retry_redis_after = float(retry_redis_after)
        self._redis = aioredis.Redis(
            host=host,
            port=self.port,
            db=self.db,
            password=password or None,
            ssl=str(use_ssl).lower() in ("1", "true", "yes"),
            socket_timeout=float(socket_timeout),
            socket_connect_timeout=float(socket_timeout),
        )
        self._local = InMemoryLockStore()
        self._down_since: Optional[float] = None  # when Redis was found unreachable (monotonic)
        self._retry_at = 0.0
        readiness.register("lock store", self.unavailable)

    async def unavailable(self) -> Optional[str]:
        """None when Redis answers; raises (for bot.rasa.readiness) when it does not."""
        await self._redis.ping()
        return None

    @property
    def where(self) -> str:
        return f"Redis lock store at {self.host}:{self.port} (db {self.db})"

    # -- the lock Rasa takes around every turn -------------------------------------------------

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: Optional[float] = None, wait_time_in_seconds: Optional[float] = None
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation for one turn; Rasa's defaults for the two timings are ignored."""
        token = await self._enter(conversation_id)
        if token is None:  # Redis is down: this server's own lock keeps its turns in order
            async with self._local.lock(conversation_id, self.lifetime * 3, self.poll_seconds) as local:
                yield local
            return
        renewer = asyncio.ensure_future(self._keep_alive(conversation_id, token))
        try:
            yield TicketLock(conversation_id)
        finally:
            renewer.cancel()
            await self._leave(conversation_id, token)

    async def _enter(self, conversation_id: str) -> Optional[str]:
        """Queue up and wait for our turn; None if Redis cannot be reached."""
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return None
        token = uuid.uuid4().hex
        try:
            await self._change(conversation_id, lambda q, now: q.add(token, now + self.lifetime))
            self._mark_up()
            await self._wait_for_turn(conversation_id, token)
        except UNREACHABLE as exc:
            self._mark_down(exc)
            return None
        except BaseException:  # gave up waiting, or cancelled: do not hold up the line for a lifetime
            await self._leave(conversation_id, token)
            raise
        return token

    async def _wait_for_turn(self, conversation_id: str, token: str) -> None:
        deadline = time.monotonic() + self.max_wait_seconds
        while True:
            position = await self._change(conversation_id, lambda q, now: self._poll(q, token, now))
            if position == 0:
                return
            if position is None:
                raise LockError(f"the lock ticket for conversation '{conversation_id}' expired while waiting")
            if time.monotonic() > deadline:
                raise LockError(f"waited over {self.max_wait_seconds:.0f} s for conversation '{conversation_id}'")
            await asyncio.sleep(self.poll_seconds)

    def _poll(self, queue: TicketQueue, token: str, now: float) -> Optional[int]:
        """Our place in the line; the lease is renewed once half of it has gone."""
        position = queue.position(token)
        if position is not None and queue.tickets[position][1] < now + self.lifetime / 2:
            queue.renew(token, now + self.lifetime)
        return position

    async def _keep_alive(self, conversation_id: str, token: str) -> None:
        """Renew the lease while the turn runs, so only a dead server's lease runs out."""
        while True:
            await asyncio.sleep(self.lifetime / 4)
            try:
                await self._change(conversation_id, lambda q, now: q.renew(token, now + self.lifetime))
            except UNREACHABLE:
                pass  # the turn goes on; the next turn notices and reports the outage

    async def _leave(self, conversation_id: str, token: str) -> None:
        try:
            await self._change(conversation_id, lambda q, now: q.remove(token))
        except UNREACHABLE as exc:  # the lease runs out by itself
            self._mark_down(exc)

    async def _change(self, conversation_id: str, change: Callable[[TicketQueue, float], T]) -> T:
        """Read the queue, apply `change` and write it back as one transaction; returns its result."""
        key = self.key_prefix + conversation_id

        async def transaction(pipe) -> T:
            raw = await pipe.get(key)
            seconds, micros = await pipe.time()
            now = seconds + micros / 1e6
            queue = TicketQueue.loads(raw)
            before = queue.dumps()
            queue.drop_expired(now)
            result = change(queue, now)
            if queue.dumps() == before:
                return result  # nothing to write: no transaction, no conflict with the other servers
            pipe.multi()
            if queue.tickets:
                # The key outlives every lease in it, then goes away by itself.
                pipe.set(key, queue.dumps(), px=int(self.lifetime * 2000))
            else:
                pipe.delete(key)
            return result

        try:
            return await self._redis.transaction(transaction, key, value_from_callable=True)
        except UNREACHABLE:
            # After a Redis restart every pooled connection is dead, though Redis is back:
            # drop the idle ones and try once more on a fresh connection.
            try:
                await self._redis.connection_pool.disconnect(inuse_connections=False)
            except UNREACHABLE:
                pass
            return await self._redis.transaction(transaction, key, value_from_callable=True)

    def _mark_down(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + self.retry_redis_after
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.error(
                "%s is unreachable (%s); conversations are locked per server until it is back", self.where, reason(exc)
            )

    def _mark_up(self) -> None:
        if self._down_since is not None:
            log.warning(
                "%s is reachable again after %.0f s; locks are shared again",
                self.where,
                time.monotonic() - self._down_since,
            )
            self._down_since = None

    # -- the rest of Rasa's LockStore interface, for inspection --------------------------------

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        raise NotImplementedError("take locks with `async with lock_store.lock(conversation_id)`")

    def delete_lock(self, conversation_id: str) -> None:
        raise NotImplementedError("take locks with `async with lock_store.lock(conversation_id)`")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("take locks with `async with lock_store.lock(conversation_id)`")

    async def aclose(self) -> None:
        await self._redis.close()
