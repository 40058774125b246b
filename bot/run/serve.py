"""`make run`: the action server and the Rasa server as one supervised process tree.

Starts both, waits until each answers, prints where to talk to the assistant,
and then supervises them (bot.run.supervise): a server that dies is restarted
while the other keeps serving. Ctrl-C (or SIGTERM) stops both cleanly.

Secure by default: the servers listen on 127.0.0.1 unless `BACKCARE_HOST`
says otherwise, the action server only on loopback, and Rasa's HTTP API
(which reads and rewrites whole conversations) is on only when
`BACKCARE_API_TOKEN` is set, and then needs that token (bot.rasa.server).
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
from functools import partial
from pathlib import Path
from typing import Callable, Optional

import yaml

from bot.core import quiet, settings
from bot.core.clinic import clinic
from bot.core.config import current
from bot.run.supervise import supervise


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
        tracker["db"] = str(options.tracker_db or current().conversations_db)
    folder = options.tracker_db.parent if options.tracker_db else settings.STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"endpoints-{options.port}.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def action_server_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot.run.action_server",
        "--actions",
        "actions",
        "--port",
        str(port),
        *quiet.rasa_verbosity_flags(),
    ]


def api_flags(environ: dict[str, str]) -> list[str]:
    """`--enable-api` only when a token will protect it (bot.rasa.server adds the token itself,
    so it never appears on a command line)."""
    return ["--enable-api"] if environ.get("BACKCARE_API_TOKEN", "").strip() else []


def rasa_server_command(options: ServeOptions, model: Path, environ: dict[str, str]) -> list[str]:
    origins = list(clinic().allowed_origins) or [f"http://localhost:{options.port}"]
    return [
        sys.executable,
        "-m",
        "bot.rasa.server",
        "run",
        "--model",
        str(model),
        "--interface",
        settings.host(environ),
        "--port",
        str(options.port),
        *api_flags(environ),
        *quiet.rasa_verbosity_flags(),
        "--credentials",
        str(options.credentials),
        "--endpoints",
        str(endpoints_for(options)),
        "--cors",
        *origins,
    ]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Optional[Path] = None) -> None:
    """Return once `url` answers 200; a process that exits first is an error that carries the end of
    its `log`, so a server that fails to start in CI says why there, not in a file CI throws away."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{url}: the process exited with code {process.returncode} before it was ready{log_tail(log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def log_tail(log: Optional[Path], lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return f"; the end of {log}:\n" + "\n".join(tail)


@dataclass
class Child:
    """One supervised server: how to start it, where it says it is ready, and its current process."""

    command: Callable[[], list[str]]
    ready_url: str
    serves_users: bool  # a Rasa server; the action server only helps them
    process: Optional[subprocess.Popen] = None


class Stack:
    """The running servers, by name (`actions`, `rasa-<port>`); stop() ends them all, whatever state they are in."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.children: dict[str, Child] = {}
        self.processes: list[subprocess.Popen] = []  # every process ever started, restarts included
        self.model: Optional[Path] = None

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.options.port, *self.options.more_ports)

    @property
    def servers(self) -> dict[int, subprocess.Popen]:
        """The current Rasa server process on each port."""
        return {port: self.children[f"rasa-{port}"].process for port in self.ports}

    @property
    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.options.extra_env, "PYTHONUNBUFFERED": "1"}

    def start(self, timeout: float = 240.0) -> "Stack":
        from bot.run.model import ensure_model

        self.model = model = self.options.model or ensure_model()
        env = self.environment
        if self.options.with_actions:
            self.add(
                "actions",
                partial(action_server_command, self.options.actions_port),
                f"http://127.0.0.1:{self.options.actions_port}/health",
                serves_users=False,
            )
        for port in self.ports:
            self.add(
                f"rasa-{port}",
                partial(rasa_server_command, replace(self.options, port=port), model, env),
                f"http://127.0.0.1:{port}/",
                serves_users=True,
            )
        try:
            # All start at once: the Rasa server's start-up dominates, the action server's hides behind it.
            for name in self.children:
                self.restart(name)
            for name, child in self.children.items():
                wait_until_up(child.ready_url, child.process, timeout, self.log_path(name))
        except BaseException:
            self.stop()
            raise
        return self

    def add(self, name: str, command: Callable[[], list[str]], ready_url: str, serves_users: bool) -> None:
        self.children[name] = Child(command, ready_url, serves_users)

    def spawn_rasa(self, port: int) -> subprocess.Popen:
        """Start (or restart) the Rasa server on `port` with the model start() chose; does not wait."""
        self.restart(f"rasa-{port}")
        return self.servers[port]

    # -- what bot.run.supervise needs --------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self.children)

    def exit_code(self, name: str) -> Optional[int]:
        return self.children[name].process.poll()

    def ready_url(self, name: str) -> str:
        return self.children[name].ready_url

    def serves_users(self, name: str) -> bool:
        return self.children[name].serves_users

    def restart(self, name: str) -> None:
        """(Re)start child `name`; does not wait for it to be ready."""
        child = self.children[name]
        child.process = self._spawn(child.command(), name)

    def supervise(self) -> int:
        return supervise(self)

    # ------------------------------------------------------------------------------------------

    def log_path(self, name: str) -> Optional[Path]:
        """Where child `name` writes its output, or None when it writes to this terminal."""
        return None if self.options.log_dir is None else self.options.log_dir / f"{name}.log"

    def _spawn(self, command: list[str], name: str) -> subprocess.Popen:
        log = None
        path = self.log_path(name)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            log = open(path, "ab")
        try:
            process = subprocess.Popen(
                command,
                cwd=settings.ROOT,
                env=self.environment,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
            )
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


def main(argv: Optional[list[str]] = None) -> int:
    quiet.install()
    parser = argparse.ArgumentParser(prog="bot serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BACKCARE_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("BACKCARE_ACTIONS_PORT", 5055)))
    args = parser.parse_args(argv)

    from bot.core.facts.cli import load_facts

    if load_facts() != 0:
        return 1
    stack = Stack(ServeOptions(port=args.port, actions_port=args.actions_port))
    base = f"http://localhost:{args.port}"
    return run_until_stopped(
        stack.start,
        stack.supervise,
        stack.stop,
        f"\nThe back-care assistant is ready.\n"
        f"  Website widget demo:  {base}/webhooks/widget/\n"
        f"  REST:                 curl -s {base}/webhooks/rest/webhook "
        '-d \'{"sender":"me","message":"what happens at my first massage?"}\'\n'
        f"  Terminal chat:        make shell (in another terminal)\n"
        f"{access_summary(os.environ)}"
        f"Press Ctrl-C to stop.\n",
    )


def access_summary(environ: dict[str, str] | os._Environ) -> str:
    """Banner lines that say who can reach the servers, so an operator never has to guess."""
    host = settings.host(environ)
    where = (
        "this machine only (set BACKCARE_HOST to listen elsewhere; docs/deploy.md)"
        if host in ("127.0.0.1", "localhost", "::1")
        else f"interface {host}"
    )
    api = (
        "on, every request needs BACKCARE_API_TOKEN"
        if api_flags(dict(environ))
        else "off (set BACKCARE_API_TOKEN to turn it on with a token)"
    )
    return f"  Listening on:         {where}\n  Rasa HTTP API:        {api}\n"


def run_until_stopped(
    start: Callable[[], object], supervise: Callable[[], int], stop: Callable[[], None], banner: str | Callable[[], str]
) -> int:
    """Start the servers, print where to reach them, supervise them, and stop them all on
    Ctrl-C, SIGTERM, or when the supervisor gives up."""

    def on_sigterm(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        print("Starting the servers...", flush=True)
        start()
        print(banner() if callable(banner) else banner, flush=True)
        return supervise()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the clean stop short
            signal.signal(signum, signal.SIG_IGN)
        stop()


if __name__ == "__main__":
    sys.exit(main())
