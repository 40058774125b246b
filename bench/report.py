"""bench.md, bench.json and the latency plot, from one run's measurements."""

from __future__ import annotations

import json
from pathlib import Path

# metric label, path into the results, target ratio (ours / baseline) or None, lower is better
ROWS = [
    ("FAQ turn p50 (ms)", ("turns", "turn1", "p50"), 1.0, True),
    ("FAQ turn p95 (ms)", ("turns", "turn1", "p95"), 1.0, True),
    ("FAQ turn p99 (ms)", ("turns", "turn1", "p99"), None, True),
    ("follow-up turn p50 (ms)", ("turns", "turn2", "p50"), 1.0, True),
    ("follow-up turn p95 (ms)", ("turns", "turn2", "p95"), 1.0, True),
    ("follow-up turn p99 (ms)", ("turns", "turn2", "p99"), None, True),
    ("emergency turn p50 (ms)", ("turns", "turn3", "p50"), 1.0, True),
    ("emergency turn p95 (ms)", ("turns", "turn3", "p95"), 1.0, True),
    ("emergency turn p99 (ms)", ("turns", "turn3", "p99"), None, True),
    ("/model/parse p50 (ms)", ("parse", "p50"), None, True),
    ("throughput, 1 conversation (turns/s)", ("load", "1", "throughput"), None, False),
    ("throughput, 10 conversations (turns/s)", ("load", "10", "throughput"), None, False),
    ("throughput, 20 conversations (turns/s)", ("load", "20", "throughput"), 1.0, False),
    ("throughput, 50 conversations (turns/s)", ("load", "50", "throughput"), None, False),
    ("error rate, 1 / 10 / 20 / 50", None, None, True),
    ("start-up to ready (s)", ("start_s",), 0.8, True),
    ("resident memory, all processes (MB)", ("rss_mb",), 1.2, True),
    ("training time (s)", ("train_s",), None, True),
]


def _get(data: dict, path: tuple) -> float:
    for key in path:
        data = data[key]
    return float(data)


def _verdict(ratio: float, target: float | None, lower_is_better: bool) -> str:
    if target is None:
        return ""
    ok = ratio <= target if lower_is_better else ratio >= target
    return f"{'ok' if ok else 'MISSED'} ({'≤' if lower_is_better else '≥'} {target})"


def _error_rates(result: dict) -> str:
    return " / ".join(f"{result['load'][c]['error_rate']:.1%}" for c in ("1", "10", "20", "50"))


def table(results: dict) -> list[str]:
    ours, base = results["ours"], results["baseline"]
    lines = ["| metric | ours | baseline | ratio | target |", "|---|---:|---:|---:|---|"]
    for label, path, target, lower in ROWS:
        if path is None:
            zero20 = ours["load"]["20"]["error_rate"] == 0
            lines.append(
                f"| {label} | {_error_rates(ours)} | {_error_rates(base)} | | {'ok' if zero20 else 'MISSED'} (0 at 20) |"
            )
            continue
        a, b = _get(ours, path), _get(base, path)
        ratio = a / b if b else float("nan")
        lines.append(f"| {label} | {a:.1f} | {b:.1f} | {ratio:.2f} | {_verdict(ratio, target, lower)} |")
    return lines


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    data, labels = [], []
    for who in ("ours", "baseline"):
        for turn in ("turn1", "turn2", "turn3"):
            data.append(results[who]["turns"][turn]["samples"])
            labels.append(f"{who}\n{turn}")
    ax.boxplot(data, labels=labels, showfliers=True)
    ax.set_ylabel("REST turn latency (ms)")
    ax.set_title("Turn latency: ours (FAQ, follow-up, emergency) vs stock rasa init")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_reports(results: dict, out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    plot(results, out / "bench_latency.png")
    safety = results["ours"].get("safety_ms", {})
    lines = [
        "# Benchmark: back-care assistant vs stock `rasa init` bot",
        "",
        f"Measured in one run on this machine ({results['machine']['cpus']} CPUs), both over the REST channel; "
        "ours with the action server, fact base and safety layer in the loop.",
        "",
        *table(results),
        "",
        f"Safety detector cost per message: p50 {safety.get('p50', float('nan')):.3f} ms, "
        f"p95 {safety.get('p95', float('nan')):.3f} ms (target: median under 1 ms).",
        "",
        "![latency distribution](bench_latency.png)",
        "",
    ]
    text = "\n".join(lines)
    (out / "bench.md").write_text(text)
    return text
