"""The Redis conversation lock on the real Redis: exclusive, fair, crash-safe, and safe when Redis is down."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import time

import pytest
import redis

from bot.rasa.lock_store import AtomicRedisLockStore
from bot.run.harness import free_port
from tests.production.faultproxy import FaultProxy
from tests.support.services import REDIS_DB, REDIS_HOST, REDIS_PORT, redis_prefix, require_services
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.services


@pytest.fixture
def prefix():
    require_services()
    with redis_prefix() as name:
        yield name


def store(prefix: str, port: int = REDIS_PORT, **options) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(
        host=REDIS_HOST, port=port, db=REDIS_DB, key_prefix=prefix, poll_seconds=0.01, **options
    )


def _contend(prefix: str, rounds: int, results: "multiprocessing.Queue") -> None:
    """One 'server': take the lock `rounds` times and count how often someone else was inside too."""
    counter = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)

    async def run() -> int:
        lock_store, overlaps = store(prefix), 0
        for _ in range(rounds):
            async with lock_store.lock("one-conversation"):
                if counter.incr(f"{prefix}:inside") != 1:
                    overlaps += 1
                await asyncio.sleep(0.002)
                counter.decr(f"{prefix}:inside")
                counter.incr(f"{prefix}:entries")
        return overlaps

    results.put(asyncio.run(run()))


def test_only_one_process_at_a_time_holds_a_conversation(prefix):
    processes, rounds = 4, 15
    results: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_contend, args=(prefix, rounds, results)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    overlaps = [results.get(timeout=5) for _ in workers]
    counter = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    assert overlaps == [0] * processes
    assert int(counter.get(f"{prefix}:entries")) == processes * rounds
    assert not counter.exists(f"{prefix}:lock:one-conversation"), "a released lock leaves no key behind"


def test_waiting_turns_are_served_in_arrival_order(prefix):
    lock_store, served = store(prefix), []

    async def turn(name: str, hold: float) -> None:
        async with lock_store.lock("c"):
            served.append(name)
            await asyncio.sleep(hold)

    async def run() -> None:
        first = asyncio.ensure_future(turn("first", 0.3))
        await async_wait_until(lambda: served == ["first"], 10, "the first turn holding the lock")
        later = []
        for name in ("second", "third", "fourth"):
            later.append(asyncio.ensure_future(turn(name, 0.01)))
            await asyncio.sleep(0.02)
        await asyncio.gather(first, *later)

    asyncio.run(run())
    assert served == ["first", "second", "third", "fourth"]


def _hold_forever(prefix: str, lifetime: float, ready: "multiprocessing.Event") -> None:
    async def run() -> None:
        async with store(prefix, lock_lifetime=lifetime).lock("crashed"):
            ready.set()
            await asyncio.sleep(3600)

    asyncio.run(run())


def test_a_killed_holder_blocks_its_conversation_for_one_lifetime_at_most(prefix):
    lifetime = 2.0
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_forever, args=(prefix, lifetime, ready))
    holder.start()
    assert ready.wait(30)
    time.sleep(lifetime)  # the holder renews its lease while alive...
    os.kill(holder.pid, signal.SIGKILL)  # ...and then dies mid-turn
    holder.join()

    async def take() -> float:
        started = time.monotonic()
        async with store(prefix, lock_lifetime=lifetime).lock("crashed"):
            return time.monotonic() - started

    waited = asyncio.run(take())
    assert 0.2 < waited < lifetime + 1.5, f"waited {waited:.1f} s for a dead holder's lock"


def test_a_turn_longer_than_the_lifetime_keeps_its_lock(prefix):
    lock_store, events = store(prefix, lock_lifetime=0.8), []

    async def turn(name: str, hold: float) -> None:
        async with lock_store.lock("slow"):
            events.append(f"{name} in")
            await asyncio.sleep(hold)
            events.append(f"{name} out")

    async def run() -> None:
        slow = asyncio.ensure_future(turn("slow", 2.5))  # three lifetimes
        await async_wait_until(lambda: events == ["slow in"], 10, "the slow turn holding the lock")
        await asyncio.gather(slow, turn("next", 0))

    asyncio.run(run())
    assert events == ["slow in", "slow out", "next in", "next out"]


def test_with_redis_down_turns_still_run_one_at_a_time_and_the_log_names_redis(prefix, caplog):
    down_port = free_port()  # nothing listens here
    lock_store, events = store(prefix, port=down_port, socket_timeout=1), []

    async def turn(name: str) -> None:
        async with lock_store.lock("c"):
            events.append(f"{name} in")
            await asyncio.sleep(0.05)
            events.append(f"{name} out")

    async def run() -> None:
        await asyncio.gather(*(turn(n) for n in ("a", "b", "c")))

    with caplog.at_level(logging.ERROR, logger="bot.rasa.lock_store"):
        asyncio.run(asyncio.wait_for(run(), 30))
    assert events == [e for n in ("a", "b", "c") for e in (f"{n} in", f"{n} out")]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert f"Redis lock store at {REDIS_HOST}:{down_port} (db {REDIS_DB}) is unreachable" in errors[0]


def test_when_redis_comes_back_locks_are_shared_through_it_again(prefix, caplog):
    proxy = FaultProxy(REDIS_HOST, REDIS_PORT, free_port()).start()
    lock_store = store(prefix, port=proxy.port, socket_timeout=1, retry_redis_after=0.3)
    counter = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    key = f"{prefix}:lock:back"
    try:

        async def run() -> tuple[bool, bool]:
            proxy.cut()
            async with lock_store.lock("back"):
                during_outage = bool(counter.exists(key))
            proxy.restore()
            await asyncio.sleep(0.5)
            async with lock_store.lock("back"):
                after = bool(counter.exists(key))
            return during_outage, after

        with caplog.at_level(logging.WARNING, logger="bot.rasa.lock_store"):
            during_outage, after = asyncio.run(asyncio.wait_for(run(), 30))
        assert not during_outage, "with Redis cut off the lock was this server's own"
        assert after, "once Redis answers again the lock lives in Redis"
        assert any("reachable again" in r.getMessage() for r in caplog.records)
    finally:
        proxy.close()


def test_a_redis_restart_between_turns_is_not_an_outage(prefix, caplog):
    """The pooled connections die with the old Redis; the next turn reconnects instead of going local."""
    proxy = FaultProxy(REDIS_HOST, REDIS_PORT, free_port()).start()
    lock_store = store(prefix, port=proxy.port, socket_timeout=1)
    counter = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    try:

        async def run() -> bool:
            async with lock_store.lock("restart"):
                pass
            proxy.cut()  # Redis "restarts": every open connection is reset...
            proxy.restore()  # ...and it is back before the next turn
            async with lock_store.lock("restart"):
                return bool(counter.exists(f"{prefix}:lock:restart"))

        with caplog.at_level(logging.WARNING, logger="bot.rasa.lock_store"):
            held_in_redis = asyncio.run(asyncio.wait_for(run(), 30))
        assert held_in_redis
        reported = [r for r in caplog.records if r.name == "bot.rasa.lock_store" and r.levelno >= logging.WARNING]
        assert not reported, "no outage was reported"
    finally:
        proxy.close()
