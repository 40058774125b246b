"""A per-sender token bucket, so one sender's burst cannot crowd out everyone else."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable


class RateLimiter:
    def __init__(
        self, burst: int, refill_seconds: float, max_senders: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.refill_seconds = refill_seconds
        self.max_senders = max_senders
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, sender: str) -> bool:
        now = self._clock()
        tokens, last = self._buckets.pop(sender, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) / self.refill_seconds)
        allowed = tokens >= 1.0
        self._buckets[sender] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_senders:
            self._buckets.popitem(last=False)
        return allowed
