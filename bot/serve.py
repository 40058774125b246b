"""`make run`: the action server and the Rasa server as one process tree.

Starts both, waits until each answers, prints where to talk to the
assistant, and stops both cleanly on Ctrl-C (or SIGTERM). If either dies, the
other is stopped too, so nothing is left half-running.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

import yaml

from bot import settings
from bot.clinic import clinic


@dataclass
class ServeOptions:
    port: int = 5005
    actions_port: int = 5055
    endpoints: Path = settings.ROOT / "endpoints.yml"
    credentials: Path = settings.ROOT / "credentials.yml"
    model: Optional[Path] = None
    with_actions: bool = True
    tracker_db: Optional[Path] = None
    extra_env: dict[str, str] = field(default_factory=dict)
    # More Rasa servers sharing the one action server (the production profile runs several).
    more_ports: tuple[int, ...] = ()
    # When set, each process writes its output to <log_dir>/<name>.log instead of this terminal.
    log_dir: Optional[Path] = None


def endpoints_for(options: ServeOptions) -> Path:
    """The endpoints file resolved for this server: its action-server port and, for the
    embedded SQLite tracker store, a database file of its own (so conversations survive
    a restart and parallel test servers do not share one). It is written beside that
    database, so a test's servers leave nothing behind in .state/."""
    data = yaml.safe_load(options.endpoints.read_text(encoding="utf-8")) or {}
    if "action_endpoint" in data:
        data["action_endpoint"]["url"] = f"http://127.0.0.1:{options.actions_port}/webhook"
    tracker = data.get("tracker_store") or {}
    if tracker.get("dialect") == "sqlite":
        tracker["db"] = str(options.tracker_db or settings.STATE_DIR / "conversations.db")
    folder = options.tracker_db.parent if options.tracker_db else settings.STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"endpoints-{options.port}.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def action_server_command(port: int) -> list[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def rasa_server_command(options: ServeOptions, model: Path) -> list[str]:
    origins = list(clinic().allowed_origins) or [f"http://localhost:{options.port}"]
    command = [
        sys.executable, "-m", "bot.rasa_server", "run",
        "--model", str(model),
        "--port", str(options.port),
        "--enable-api",
        "--credentials", str(options.credentials),
        "--endpoints", str(endpoints_for(options)),
        "--cors", *origins,
    ]
    token = os.environ.get("BACKCARE_API_TOKEN")
    if token:
        command += ["--auth-token", token]
    return command


def wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class Stack:
    """The running servers; stop() ends them all, whatever state they are in."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.processes: list[subprocess.Popen] = []
        self.servers: dict[int, subprocess.Popen] = {}  # Rasa server by port
        self.model: Optional[Path] = None

    def start(self, timeout: float = 240.0) -> "Stack":
        from bot.model import ensure_model

        self.model = model = self.options.model or ensure_model()
        try:
            # All start at once: the Rasa server's start-up dominates, the action server's hides behind it.
            actions = self._spawn(action_server_command(self.options.actions_port), "actions") if self.options.with_actions else None
            ports = (self.options.port, *self.options.more_ports)
            servers = [self.spawn_rasa(port) for port in ports]
            if actions is not None:
                wait_until_up(f"http://127.0.0.1:{self.options.actions_port}/health", actions, timeout)
            for port, process in zip(ports, servers):
                wait_until_up(f"http://127.0.0.1:{port}/", process, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_actions(self, timeout: float = 120.0) -> None:
        process = self._spawn(action_server_command(self.options.actions_port))
        wait_until_up(f"http://127.0.0.1:{self.options.actions_port}/health", process, timeout)

    def spawn_rasa(self, port: int) -> subprocess.Popen:
        """Start (or restart) the Rasa server on `port` with the model start() chose; does not wait."""
        process = self._spawn(rasa_server_command(replace(self.options, port=port), self.model), f"rasa-{port}")
        self.servers[port] = process
        return process

    def _spawn(self, command: list[str], name: str = "server") -> subprocess.Popen:
        env = {**os.environ, **self.options.extra_env, "PYTHONUNBUFFERED": "1"}
        log = None
        if self.options.log_dir is not None:
            self.options.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.options.log_dir / f"{name}.log", "ab")
        try:
            process = subprocess.Popen(command, cwd=settings.ROOT, env=env, start_new_session=True,
                                       stdout=log, stderr=subprocess.STDOUT if log else None)
        finally:
            if log is not None:
                log.close()
        self.processes.append(process)
        return process

    def stop(self, grace: float = 10.0) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def wait(self) -> int:
        """Block until a server exits; returns its exit code."""
        while True:
            for process in self.processes:
                if process.poll() is not None:
                    return process.returncode
            time.sleep(0.5)


def main(argv: Optional[list[str]] = None) -> int:
    if settings.profile() == "production":  # several Rasa servers on PostgreSQL and Redis
        from bot.profile.cluster import main as production_main

        return production_main(argv)
    parser = argparse.ArgumentParser(prog="bot serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BACKCARE_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("BACKCARE_ACTIONS_PORT", 5055)))
    args = parser.parse_args(argv)

    from bot.facts.cli import load_facts

    if load_facts() != 0:
        return 1
    stack = Stack(ServeOptions(port=args.port, actions_port=args.actions_port))
    base = f"http://localhost:{args.port}"
    return run_until_stopped(
        stack.start, stack.wait, stack.stop,
        f"\nThe back-care assistant is ready.\n"
        f"  Website widget demo:  {base}/webhooks/widget/\n"
        f"  REST:                 curl -s {base}/webhooks/rest/webhook "
        "-d '{\"sender\":\"me\",\"message\":\"what happens at my first massage?\"}'\n"
        f"  Terminal chat:        make shell (in another terminal)\n"
        f"Press Ctrl-C to stop.\n",
    )


def run_until_stopped(start: Callable[[], object], wait: Callable[[], int], stop: Callable[[], None],
                      banner: str | Callable[[], str]) -> int:
    """Start the servers, print where to reach them, and stop them all on Ctrl-C, SIGTERM
    or the first server to exit."""

    def on_sigterm(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        start()
        print(banner() if callable(banner) else banner, flush=True)
        code = wait()
        print(f"A server exited with code {code}; stopping the others.", file=sys.stderr)
        return code or 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stop()

if __name__ == "__main__":
    sys.exit(main())
