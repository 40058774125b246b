"""`make bench`: our assistant and a stock `rasa init` bot, measured the same way in one run.

Both are trained, started and driven over the REST channel on this machine;
the results go to reports/bench.md (a table: ours, baseline, ratio) and
reports/bench.json, with a latency-distribution plot beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import latencies, summary, throughput
from bench.procs import group_rss_mb
from bench.report import write_reports
from bot.core import settings
from bot.run.harness import free_port, new_api_token, start_assistant
from bot.run.model import train_command
from bot.run.serve import Stack, wait_until_up

OUR_CONVERSATION = [
    "what happens at my first massage appointment?",  # FAQ answer
    "what about for sciatica?",  # follow-up turn
    "I suddenly can't feel my legs and I've wet myself",  # emergency turn
]
BASELINE_CONVERSATION = ["hello", "I am sad", "yes"]
OUR_LOAD = [
    "hi",
    "what is deep tissue massage",
    "how long does a session last",
    "is massage safe with osteoporosis",
    "will massage help my sciatica?",
    "thanks",
]
BASELINE_LOAD = ["hi", "I am sad", "yes", "great", "bye", "are you a bot?"]
CONCURRENCY = (1, 10, 20, 50)


def rasa(*args: str) -> list[str]:
    return [sys.executable, "-m", "rasa", *args]


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


class Baseline:
    """The stock assistant of `rasa init --no-prompt`, in a temporary directory."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "stock"
        self.port = free_port()
        self.api_token = new_api_token()
        self.process: subprocess.Popen | None = None

    def train(self) -> float:
        """`rasa init` scaffolds and trains; scaffolding takes well under a second of it."""
        self.dir.mkdir(parents=True, exist_ok=True)
        return timed(rasa("init", "--no-prompt", "--init-dir", str(self.dir)), self.dir)

    def start(self) -> float:
        started = time.perf_counter()
        # Served like ours: on loopback, with the HTTP API behind a token.
        self.process = subprocess.Popen(
            rasa(
                "run",
                "--enable-api",
                f"--auth-token={self.api_token}",  # one argument: a token may start with "-"
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--model",
                "models",
            ),
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_up(f"{self.url}/", self.process, 300)
        return time.perf_counter() - started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        return group_rss_mb({self.process.pid})

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(30)


class Ours:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "ours"
        self.dir.mkdir()
        self.stack: Stack | None = None
        self.url = ""
        self.api_token: str | None = None

    def train(self) -> float:
        return timed(train_command(self.dir / "models", "bench", force=True), settings.ROOT)

    def start(self) -> float:
        started = time.perf_counter()
        running = start_assistant(self.dir, model=self.dir / "models" / "bench.tar.gz", api=True)
        self.stack, self.url, self.api_token = running.stack, running.url, running.api_token
        return time.perf_counter() - started

    def rss_mb(self) -> float:
        return group_rss_mb({p.pid for p in self.stack.processes})

    def stop(self) -> None:
        if self.stack:
            self.stack.stop()


def parse_latency(url: str, token: str, text: str, repeats: int) -> dict[str, float]:
    import requests

    values = []
    with requests.Session() as session:
        for _ in range(repeats):
            started = time.perf_counter()
            session.post(
                f"{url}/model/parse", params={"token": token}, json={"text": text}, timeout=30
            ).raise_for_status()
            values.append((time.perf_counter() - started) * 1000)
    return summary(values)


def measure(
    bot: Ours | Baseline, conversation: list[str], load_messages: list[str], repeats: int, load_seconds: float
) -> dict:
    result: dict = {"train_s": bot.train(), "start_s": bot.start()}
    try:
        asyncio.run(latencies(bot.url, conversation, 5))  # warm-up
        per_turn = asyncio.run(latencies(bot.url, conversation, repeats))
        result["turns"] = {
            f"turn{i + 1}": {"text": t, **summary(v), "samples": v}
            for i, (t, v) in enumerate(zip(conversation, per_turn, strict=True))
        }
        result["parse"] = parse_latency(bot.url, bot.api_token, conversation[0], repeats)
        result["load"] = {}
        for concurrency in CONCURRENCY:
            run = asyncio.run(throughput(bot.url, load_messages, concurrency, load_seconds))
            result["load"][str(concurrency)] = {
                "throughput": run.throughput,
                "error_rate": run.error_rate,
                "turns": run.turns,
                **summary(run.latencies_ms),
            }
        result["rss_mb"] = bot.rss_mb()
    finally:
        bot.stop()
    return result


def safety_cost(repeats: int = 20) -> dict[str, float]:
    import yaml

    from bot.safety.detector import RedFlagDetector

    detector = RedFlagDetector.from_yaml()
    texts = [item["text"] for item in yaml.safe_load((settings.ROOT / "data/safety/labelled_set.yml").read_text())]
    for text in texts:
        detector.assess(text)
    values = []
    for _ in range(repeats):
        for text in texts:
            started = time.perf_counter()
            detector.assess(text)
            values.append((time.perf_counter() - started) * 1000)
    return summary(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=100, help="conversations per latency measurement")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="seconds per concurrency level")
    parser.add_argument("--out", type=Path, default=settings.ROOT / "reports")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="backcare-bench-") as tmp:
        workdir = Path(tmp)
        print("Measuring the stock rasa init bot...", flush=True)
        baseline = measure(Baseline(workdir), BASELINE_CONVERSATION, BASELINE_LOAD, args.repeats, args.load_seconds)
        print("Measuring the back-care assistant...", flush=True)
        ours = measure(Ours(workdir), OUR_CONVERSATION, OUR_LOAD, args.repeats, args.load_seconds)
    ours["safety_ms"] = safety_cost()
    results = {"ours": ours, "baseline": baseline, "machine": {"cpus": os.cpu_count()}}
    print(write_reports(results, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
