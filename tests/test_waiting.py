"""The polling helpers in tests/support/waiting.py: they return as soon as a condition holds and name what failed."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from tests.support.waiting import async_wait_until, stays, wait_for, wait_until


def becomes_true_on_poll(n: int):
    polls = itertools.count(1)
    return lambda: next(polls) >= n and "ready"


def test_wait_until_returns_the_value_as_soon_as_the_condition_holds():
    started = time.monotonic()
    assert wait_until(becomes_true_on_poll(3), timeout=5, what="ready", every=0.01) == "ready"
    assert time.monotonic() - started < 1


def test_wait_until_names_what_never_happened():
    with pytest.raises(AssertionError, match="the reply: not within 0.05 s"):
        wait_until(lambda: False, timeout=0.05, what="the reply", every=0.01)


def test_wait_for_gives_the_last_value_without_failing():
    assert wait_for(lambda: [], timeout=0.03, every=0.01) == []


def test_stays_fails_as_soon_as_the_condition_stops_holding():
    started = time.monotonic()
    flips = becomes_true_on_poll(3)
    with pytest.raises(AssertionError, match="no second message"):
        stays(lambda: not flips(), seconds=5, what="no second message", every=0.01)
    assert time.monotonic() - started < 1
    stays(lambda: True, seconds=0.03, what="quiet", every=0.01)


def test_async_wait_until_lets_the_event_loop_run_between_polls():
    async def main() -> list[str]:
        seen: list[str] = []

        async def later() -> None:
            await asyncio.sleep(0.02)
            seen.append("done")

        task = asyncio.ensure_future(later())
        await async_wait_until(lambda: seen, timeout=5, what="the task")
        await task
        with pytest.raises(AssertionError, match="never: not within"):
            await async_wait_until(lambda: False, timeout=0.03, what="never")
        return seen

    assert asyncio.run(main()) == ["done"]
