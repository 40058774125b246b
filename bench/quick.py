"""`python -m bench.quick`: our assistant alone, measured in about a minute, to see what one change buys.

Starts the assistant as `make run` does (with `--model`, any trained model),
then prints start-up time, per-turn latency of the benchmark conversation
and throughput at 20 concurrent conversations. `make bench` is the full
comparison with the stock bot; this is for the steps in between
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import OUR_CONVERSATION, OUR_LOAD
from bench.load import latencies, summary, throughput
from bench.procs import group_rss_mb
from bot.run.harness import start_assistant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quick", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained model (default: the one for the current data)")
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--load-seconds", type=float, default=8.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="backcare-quick-") as tmp:
        started = time.perf_counter()
        running = start_assistant(Path(tmp), model=args.model)
        start_s = time.perf_counter() - started
        try:
            asyncio.run(latencies(running.url, OUR_CONVERSATION, 5))  # warm-up
            per_turn = asyncio.run(latencies(running.url, OUR_CONVERSATION, args.conversations))
            load = asyncio.run(throughput(running.url, OUR_LOAD, 20, args.load_seconds))
            rss = group_rss_mb({p.pid for p in running.stack.processes})
        finally:
            running.stack.stop()
    print(f"start-up {start_s:.1f} s, resident memory {rss:.0f} MB")
    for text, values in zip(OUR_CONVERSATION, per_turn, strict=True):
        s = summary(values)
        print(f"p50 {s['p50']:5.1f} ms  p95 {s['p95']:5.1f} ms  {text}")
    print(f"20 conversations: {load.throughput:.1f} turns/s, {load.errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
