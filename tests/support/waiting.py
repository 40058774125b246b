"""Waiting for something to happen, by polling with a deadline instead of sleeping a fixed time.

A fixed sleep is either too short on a busy machine (a flaky failure) or
too long everywhere else (a slow suite); polling returns as soon as the
condition holds and fails with a message that says what never happened.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float, every: float = 0.25) -> T:
    """Poll `condition` until it returns something truthy or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return condition()


def wait_until(condition: Callable[[], T], timeout: float, what: str, every: float = 0.25) -> T:
    """Like `wait_for`, but a condition that never holds fails the test, naming `what` was awaited."""
    value = wait_for(condition, timeout, every)
    if not value:
        raise AssertionError(f"{what}: not within {timeout:g} s")
    return value


def stays(condition: Callable[[], bool], seconds: float, what: str, every: float = 0.1) -> None:
    """Check that `condition` keeps holding for `seconds` (that something which must not happen does not).

    It fails at the first poll where the condition no longer holds, so an
    unwanted event is reported as soon as it shows, not after the full period.
    """
    deadline = time.monotonic() + seconds
    while True:
        if not condition():
            raise AssertionError(f"{what}: stopped holding after {seconds - (deadline - time.monotonic()):.1f} s")
        if time.monotonic() >= deadline:
            return
        time.sleep(every)


async def async_wait_until(condition: Callable[[], T], timeout: float, what: str, every: float = 0.01) -> T:
    """`wait_until` inside an event loop: yields to the loop between polls instead of blocking it."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        await asyncio.sleep(every)
    return value
