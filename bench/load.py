"""REST load generation: per-turn latency and throughput at a given concurrency."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Sequence

import aiohttp

TURNS_PER_CONVERSATION = 5  # a realistic conversation, and under the per-sender burst limit


@dataclass
class LoadResult:
    concurrency: int
    turns: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    @property
    def error_rate(self) -> float:
        return self.errors / self.turns if self.turns else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None)
            ok = reply.status == 200 and isinstance(body, list) and len(body) > 0
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok = False
    return (time.perf_counter() - started) * 1000, ok


async def latencies(url: str, conversation: Sequence[str], repeats: int) -> list[list[float]]:
    """Latency of each turn position of `conversation`, each conversation by a new sender."""
    per_turn: list[list[float]] = [[] for _ in conversation]
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for _ in range(repeats):
            sender = uuid.uuid4().hex
            for i, text in enumerate(conversation):
                ms, _ok = await _turn(session, url, sender, text)
                per_turn[i].append(ms)
    return per_turn


async def throughput(url: str, messages: Sequence[str], concurrency: int, seconds: float) -> LoadResult:
    """`concurrency` users, each holding conversations of a few turns back to back, for `seconds`."""
    result = LoadResult(concurrency=concurrency, turns=0, errors=0, seconds=seconds)
    deadline = time.perf_counter() + seconds
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def user(n: int) -> None:
        while time.perf_counter() < deadline:
            sender = uuid.uuid4().hex
            for i in range(TURNS_PER_CONVERSATION):
                ms, ok = await _turn(session, url, sender, messages[(n + i) % len(messages)])
                result.turns += 1
                result.errors += 0 if ok else 1
                result.latencies_ms.append(ms)
                if time.perf_counter() >= deadline:
                    return

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(user(n) for n in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
