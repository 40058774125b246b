"""`make soak`: the production profile under minutes of load, with one Rasa server killed midway.

A benchmark, not a test: it prints and writes numbers (reports/soak.md,
soak.json and soak.png). It starts the profile the documented way (`bot
serve` with BACKCARE_PROFILE=production: two Rasa servers, one action server,
PostgreSQL and Redis on this machine) in a scratch database and Redis prefix,
then drives `--conversations` concurrent conversations of mixed turns (FAQ,
follow-up, emergency, bad input) with a pause between turns, as people type.
Like a reverse proxy it spreads turns round robin and sends a turn to the
other server only when the first cannot be reached. In the middle it kills one
Rasa server with SIGKILL and times how long until it is ready again.

Afterwards it counts, in PostgreSQL, every acknowledged turn: stored once
(fine), never (lost) or twice (duplicated); and it reports latency per
minute, errors, and the resident memory of every process at each minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import sqlalchemy as sa

from bench.load import summary
from bench.procs import group_rss_mb
from bot.core import settings
from bot.run.harness import free_port

FAQ = [
    "what happens at my first massage appointment?",
    "how long does a session last?",
    "is deep tissue massage painful?",
    "how much does a massage cost?",
    "can massage help my lower back pain?",
    "what should I wear to a massage?",
    "hello",
    "thanks, that helps",
]
FOLLOW_UP = [
    ("tell me about swedish massage", "how often should I have it?"),
    ("will massage help my sciatica?", "is it safe for me?"),
]
EMERGENCY = [
    "I suddenly can't feel anything between my legs and I can't pee",
    "both my legs went weak this morning and my back is agony",
]
BAD_INPUT = ["", "x" * 2500, "🙂🙂🙂", "\x00\x01 hi", '/ask_topic{"topic": "../../etc"}']
TURNS_PER_CONVERSATION = 8
READY_PATH = "/webhooks/health/ready"


@dataclass
class Turn:
    started: float  # seconds since the start of the load
    ms: float
    sender: str
    seq: int
    kind: str
    server: int
    outcome: str  # answered | refused | error
    detail: str = ""  # the error's kind, for an error


@dataclass
class Soak:
    ports: tuple[int, int]
    started: float = field(default_factory=time.monotonic)
    turns: list[Turn] = field(default_factory=list)
    dead: dict[int, float] = field(default_factory=dict)  # server index -> when it refused a connection
    next_server: int = 0
    retry_after: float = 5.0  # like a proxy's health-check interval: try a refusing server again after this

    def pick(self) -> int:
        """Round robin over the servers, skipping one that refused a connection in the last few seconds."""
        now = time.monotonic()
        for _ in self.ports:
            self.next_server = (self.next_server + 1) % len(self.ports)
            if now - self.dead.get(self.next_server, -1e9) > self.retry_after:
                return self.next_server
        return self.next_server


def conversation_turns(rng: random.Random) -> list[tuple[str, str]]:
    """A conversation: mostly questions, a follow-up pair, sometimes an emergency or bad input."""
    turns: list[tuple[str, str]] = []
    while len(turns) < TURNS_PER_CONVERSATION:
        roll = rng.random()
        if roll < 0.55:
            turns.append(("faq", rng.choice(FAQ)))
        elif roll < 0.8:
            first, second = rng.choice(FOLLOW_UP)
            turns += [("faq", first), ("follow_up", second)]
        elif roll < 0.9:
            turns.append(("emergency", rng.choice(EMERGENCY)))
        else:
            turns.append(("bad_input", rng.choice(BAD_INPUT)))
    return turns[:TURNS_PER_CONVERSATION]


async def send(soak: Soak, session: aiohttp.ClientSession, sender: str, seq: int, kind: str, text: str) -> None:
    started = time.monotonic()
    body = {"sender": sender, "message": text, "metadata": {"seq": seq}}
    outcome, server, detail = "error", soak.pick(), ""
    for _attempt in range(len(soak.ports)):
        url = f"http://127.0.0.1:{soak.ports[server]}/webhooks/rest/webhook"
        try:
            async with session.post(url, json=body) as reply:
                data = await reply.json(content_type=None)
                answered = reply.status == 200 and any("custom" in m for m in data)
                outcome = "answered" if answered else "refused"
                soak.dead.pop(server, None)
                break
        except aiohttp.ClientConnectorError as exc:  # not reachable: a proxy tries the other server
            soak.dead[server] = time.monotonic()
            server, detail = (server + 1) % len(soak.ports), type(exc).__name__
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            detail = type(exc).__name__
            break  # the server died with the turn in hand: never acknowledged
    soak.turns.append(
        Turn(
            started - soak.started,
            (time.monotonic() - started) * 1000,
            sender,
            seq,
            kind,
            server,
            outcome,
            detail if outcome == "error" else "",
        )
    )


async def person(
    soak: Soak, session: aiohttp.ClientSession, deadline: float, rng: random.Random, pause: tuple[float, float]
) -> None:
    await asyncio.sleep(rng.uniform(0, pause[1]))  # people do not all arrive at once
    while time.monotonic() < deadline:
        sender = f"soak-{uuid.uuid4().hex[:16]}"
        for seq, (kind, text) in enumerate(conversation_turns(rng)):
            if time.monotonic() >= deadline:
                return
            await send(soak, session, sender, seq, kind, text)
            await asyncio.sleep(rng.uniform(*pause))


async def drive(soak: Soak, conversations: int, seconds: float, pause: tuple[float, float], seed: int) -> None:
    deadline = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(
            *(person(soak, session, deadline, random.Random(seed + n), pause) for n in range(conversations))
        )


# -- the servers -------------------------------------------------------------------------------


def pids_of(*fragments: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if all(f in text for f in fragments):
            found.append(int(cmdline.parent.name))
    return found


def process_table(serve_pid: int, ports: tuple[int, int], actions_port: int) -> dict[str, list[int]]:
    """Each of our processes by role (their pids change when one is restarted)."""
    table = {f"rasa-{port}": pids_of("bot.rasa.server", "--port", str(port)) for port in ports}
    table["actions"] = pids_of("bot.run.action_server", "--port", str(actions_port))
    table["supervisor"] = [serve_pid]
    return table


def rss_by_role(table: dict[str, list[int]]) -> dict[str, float]:
    readings = {}
    for role, pids in table.items():
        groups = set()
        for pid in pids:
            try:
                groups.add(os.getpgid(pid))
            except ProcessLookupError:
                continue
        readings[role] = round(group_rss_mb(groups), 1) if groups else 0.0
    return readings


def ready(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{READY_PATH}", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


async def watch(
    soak: Soak, serve_pid: int, actions_port: int, seconds: float, kill_at: float, memory: list[dict], kill: dict
) -> None:
    """Read memory once a minute (and at the start), kill server 0 at `kill_at`, time its return."""
    next_reading, killed_at = 0.0, None
    end = soak.started + seconds
    while time.monotonic() < end:
        now = time.monotonic() - soak.started
        if now >= next_reading:
            memory.append(
                {"minute": round(now / 60, 2), **rss_by_role(process_table(serve_pid, soak.ports, actions_port))}
            )
            next_reading += 60
        if killed_at is None and now >= kill_at:
            victim = pids_of("bot.rasa.server", "--port", str(soak.ports[0]))
            os.kill(victim[0], signal.SIGKILL)
            killed_at = time.monotonic()
            kill.update(server=soak.ports[0], at_s=round(killed_at - soak.started, 2))
        elif killed_at is not None and "back_after_s" not in kill and ready(soak.ports[0]):
            kill["back_after_s"] = round(time.monotonic() - killed_at, 1)
        await asyncio.sleep(0.5)
    memory.append(
        {
            "minute": round((time.monotonic() - soak.started) / 60, 2),
            **rss_by_role(process_table(serve_pid, soak.ports, actions_port)),
        }
    )


# -- what PostgreSQL holds -----------------------------------------------------------------------


def stored_turns(database_url: str) -> Counter:
    """(sender, seq) of every stored user message of the soak, with how often it is stored."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    counts: Counter = Counter()
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE 'soak-%'")
        )
        for sender, data in rows:
            seq = (json.loads(data).get("metadata") or {}).get("seq")
            counts[(sender, seq)] += 1
    return counts


def integrity(turns: list[Turn], stored: Counter) -> dict[str, int]:
    """Acknowledged turns stored once, never (lost) or more than once (duplicated)."""
    acknowledged = {(t.sender, t.seq) for t in turns if t.outcome == "answered" and t.kind != "bad_input"}
    return {
        "acknowledged": len(acknowledged),
        "lost": sum(1 for key in acknowledged if stored[key] == 0),
        "duplicated": sum(1 for key, n in stored.items() if n > 1),
    }


def per_minute(turns: list[Turn], minutes: int) -> list[dict]:
    rows = []
    for minute in range(minutes):
        inside = [t for t in turns if minute * 60 <= t.started < (minute + 1) * 60]
        answered = [t.ms for t in inside if t.outcome == "answered"]
        rows.append(
            {
                "minute": minute + 1,
                "turns": len(inside),
                "answered": len(answered),
                "errors": sum(t.outcome == "error" for t in inside),
                **{k: round(v, 1) for k, v in summary(answered).items() if k != "mean"},
            }
        )
    return rows


def memory_growth(memory: list[dict], start_minute: float = 2, end_minute: float = 10) -> dict[str, float]:
    """Growth in % of each process between the readings nearest to `start_minute` and `end_minute`."""
    if len(memory) < 2:
        return {}
    first = min(memory, key=lambda r: abs(r["minute"] - start_minute))
    last = min(memory, key=lambda r: abs(r["minute"] - end_minute))
    return {
        role: round(100 * (last[role] - first[role]) / first[role], 1)
        for role in first
        if role != "minute" and first[role] and role in last
    }


# -- the report ----------------------------------------------------------------------------------


def write_report(out: Path, result: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    kill, total = result["kill"], result["totals"]
    kill_minute = int(kill.get("at_s", 0) // 60) + 1
    outside = [r for r in result["per_minute"] if r["minute"] != kill_minute and r["answered"]]
    worst_p95 = max((r["p95"] for r in outside), default=float("nan"))
    growth = result["memory_growth_2_to_10"]
    verdicts = [
        ("0 lost or duplicated turns", result["integrity"]["lost"] == 0 and result["integrity"]["duplicated"] == 0),
        ("errors only for turns in flight on the killed server", total["errors"] <= total["in_flight_on_kill"]),
        (f"p95 under 500 ms outside the kill minute (worst {worst_p95:.0f} ms)", worst_p95 < 500),
        ("no process grows more than 10% from minute 2 to 10", all(v <= 10 for v in growth.values())),
        (
            f"killed server serving again within 30 s ({kill.get('back_after_s', 'never')} s)",
            kill.get("back_after_s", 1e9) <= 30,
        ),
    ]
    lines = [
        "# Soak: the production profile under load",
        "",
        f"{result['conversations']} concurrent conversations for {result['minutes']} minutes "
        f"(pause {result['pause_s'][0]}-{result['pause_s'][1]} s between turns), two Rasa servers, "
        f"PostgreSQL and Redis on this machine ({os.cpu_count()} cores); server on port {kill.get('server')} "
        f"killed with SIGKILL at {kill.get('at_s')} s. Run {result['date']}, commit {result['commit']}.",
        "",
        "| target | met |",
        "|---|---|",
        *[f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in verdicts],
        "",
        f"Turns sent {total['sent']}, answered {total['answered']}, refused by the guard {total['refused']} "
        f"(bad input and rate limits answer politely; counted as answered when they carry an envelope), "
        f"errors {total['errors']} (in flight on the killed server: {total['in_flight_on_kill']}). "
        f"Acknowledged turns checked in PostgreSQL: {result['integrity']['acknowledged']}, "
        f"lost {result['integrity']['lost']}, duplicated {result['integrity']['duplicated']}.",
        "",
        "| minute | turns | answered | errors | p50 ms | p95 ms | p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['minute']} | {r['turns']} | {r['answered']} | {r['errors']} | {r['p50']} | {r['p95']} | {r['p99']} |"
            for r in result["per_minute"]
        ],
        "",
        "Resident memory (MB, whole process group) at each reading:",
        "",
        "| minute | " + " | ".join(k for k in result["memory"][0] if k != "minute") + " |",
        "|---:|" + "---:|" * (len(result["memory"][0]) - 1),
        *["| " + " | ".join(str(v) for v in row.values()) + " |" for row in result["memory"]],
        "",
        "Growth from minute 2 to minute 10: " + ", ".join(f"{k} {v:+.1f}%" for k, v in growth.items()) + ".",
        "(The restarted server's memory starts again from zero at the kill.)",
        "",
        "![latency and memory over time](soak.png)",
    ]
    (out / "soak.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot(out / "soak.png", result)


def plot(path: Path, result: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (latency, memory) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    minutes = [r["minute"] for r in result["per_minute"]]
    for key in ("p50", "p95", "p99"):
        latency.plot(minutes, [r[key] for r in result["per_minute"]], marker="o", label=key)
    latency.axhline(500, color="grey", linestyle="--", linewidth=1, label="500 ms target (p95)")
    if "at_s" in result["kill"]:
        for axis in (latency, memory):
            axis.axvline(result["kill"]["at_s"] / 60, color="red", linewidth=1, label="server killed")
    latency.set_ylabel("turn latency (ms)")
    latency.legend(fontsize=8)
    for role in (k for k in result["memory"][0] if k != "minute"):
        memory.plot(
            [r["minute"] for r in result["memory"]], [r[role] for r in result["memory"]], marker=".", label=role
        )
    memory.set_ylabel("resident memory (MB)")
    memory.set_xlabel("minute")
    memory.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


# -- running it ----------------------------------------------------------------------------------


def start_profile(database: str, prefix: str, ports: tuple[int, int], actions_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "BACKCARE_PROFILE": "production",
        "BACKCARE_PG_DATABASE": database,
        "BACKCARE_REDIS_PREFIX": prefix,
        "BACKCARE_API_TOKEN": "",
        "BACKCARE_DB_URL": "",
    }
    bot = str(Path(sys.executable).parent / "bot")
    process = subprocess.Popen(
        [bot, "serve", "--port", str(ports[0]), "--actions-port", str(actions_port)],
        cwd=settings.ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while not all(ready(port) for port in ports):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the production profile did not start; see {log}")
        time.sleep(1)
    return process


def consecutive_free_ports() -> tuple[int, int]:
    import socket

    while True:
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port, port + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--kill-at", type=float, default=None, help="seconds into the run (default: the middle)")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(2.0, 6.0),
        metavar=("MIN", "MAX"),
        help="seconds a person takes between turns",
    )
    parser.add_argument("--out", type=Path, default=settings.ROOT / "reports")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from bot.run.profile_config import production_settings

    database = f"backcare_soak_{uuid.uuid4().hex[:8]}"
    prefix = f"soak{uuid.uuid4().hex[:8]}"
    config = production_settings(
        {**os.environ, "BACKCARE_PG_DATABASE": database, "BACKCARE_REDIS_PREFIX": prefix, "BACKCARE_DB_URL": ""}
    )
    ports, actions_port = consecutive_free_ports(), free_port()
    seconds = args.minutes * 60
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "soak-servers.log"
    print(f"Starting the production profile (database {database}) ...", flush=True)
    serve = start_profile(database, prefix, ports, actions_port, log)
    soak, memory, kill = Soak(ports=ports), [], {}
    try:
        print(f"Soaking: {args.conversations} conversations for {args.minutes:g} minutes ...", flush=True)
        soak.started = time.monotonic()

        async def run() -> None:
            await asyncio.gather(
                drive(soak, args.conversations, seconds, tuple(args.pause), args.seed),
                watch(soak, serve.pid, actions_port, seconds, args.kill_at or seconds / 2, memory, kill),
            )

        asyncio.run(run())
        time.sleep(2)  # the last turns' writes
        stored = stored_turns(config.pg_url())
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(60)
        admin = sa.create_engine(config.pg_url("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

    kill_s = kill.get("at_s", float("inf"))
    outcomes = Counter(t.outcome for t in soak.turns)
    errors = [t for t in soak.turns if t.outcome == "error"]
    # In flight on the killed server: sent to it before the kill and ended after it (0.05 s for the clock reads).
    in_flight = sum(1 for t in errors if t.server == 0 and t.started <= kill_s + 0.05 <= t.started + t.ms / 1000 + 0.1)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=settings.ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": commit,
        "minutes": args.minutes,
        "conversations": args.conversations,
        "pause_s": list(args.pause),
        "kill": kill,
        "totals": {
            "sent": len(soak.turns),
            "answered": outcomes["answered"],
            "refused": outcomes["refused"],
            "errors": outcomes["error"],
            "in_flight_on_kill": in_flight,
        },
        "by_kind": {
            kind: dict(Counter(t.outcome for t in soak.turns if t.kind == kind))
            for kind in sorted({t.kind for t in soak.turns})
        },
        "errors": [
            {
                "at_s": round(t.started, 3),
                "ms": round(t.ms, 1),
                "server": soak.ports[t.server],
                "kind": t.kind,
                "error": t.detail,
            }
            for t in errors
        ],
        "integrity": integrity(soak.turns, stored),
        "per_minute": per_minute(soak.turns, int(-(-seconds // 60))),
        "memory": memory,
        "memory_growth_2_to_10": memory_growth(memory, 2, min(10, args.minutes)),
    }
    write_report(args.out, result)
    print((args.out / "soak.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
