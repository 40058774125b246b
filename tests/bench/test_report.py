"""The benchmark's arithmetic: percentiles, and the verdicts of reports/bench.md."""

from __future__ import annotations

import copy

from bench.load import percentile, summary
from bench.report import table


def test_percentiles_are_taken_from_the_sorted_samples():
    values = [float(v) for v in range(100, 0, -1)]  # 100 .. 1, unsorted
    assert percentile(values, 50) == 51.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert summary(values)["mean"] == 50.5


def _results(turn_ms: float, turns_per_s: float, start_s: float, rss_mb: float, error_rate: float = 0.0) -> dict:
    turn = {"p50": turn_ms, "p95": turn_ms, "p99": turn_ms}
    load = {c: {"throughput": turns_per_s, "error_rate": error_rate} for c in ("1", "10", "20", "50")}
    return {
        "turns": {"turn1": turn, "turn2": turn, "turn3": turn},
        "parse": {"p50": 1.0},
        "load": load,
        "start_s": start_s,
        "rss_mb": rss_mb,
        "train_s": 60.0,
    }


def _verdicts(ours: dict, baseline: dict) -> dict[str, str]:
    rows = table({"ours": ours, "baseline": baseline})[2:]
    return {cells[1].strip(): cells[5].strip() for cells in (row.split("|") for row in rows)}


BASELINE = _results(turn_ms=20, turns_per_s=40, start_s=30, rss_mb=1000)


def test_everything_within_its_target_is_ok():
    verdicts = _verdicts(_results(turn_ms=20, turns_per_s=40, start_s=24, rss_mb=1200), BASELINE)
    assert all(v.startswith("ok") for v in verdicts.values() if v), verdicts


def test_each_target_is_missed_on_its_own_side():
    verdicts = _verdicts(
        _results(turn_ms=21, turns_per_s=39, start_s=25, rss_mb=1201, error_rate=0.01), copy.deepcopy(BASELINE)
    )
    for label in (
        "FAQ turn p50 (ms)",
        "emergency turn p95 (ms)",
        "throughput, 20 conversations (turns/s)",
        "start-up to ready (s)",
        "resident memory, all processes (MB)",
        "error rate, 1 / 10 / 20 / 50",
    ):
        assert verdicts[label].startswith("MISSED"), (label, verdicts[label])
