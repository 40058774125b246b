"""Keep the servers serving: a child that dies is restarted with backoff while the others go on.

One crashed process must not take the assistant down: in the production
profile the surviving Rasa server keeps answering while its twin restarts, and
in the embedded profile the Rasa server keeps answering emergencies while the
action server restarts. A child that keeps crashing is given up on, with the
reason, so a broken deployment does not restart forever; when no Rasa server
is left the supervisor stops everything and exits non-zero, so that the
service manager above it (systemd, Docker) sees the failure.

Our own loop rather than supervisord or circus: the children share the model
chosen at start-up and per-port endpoint files, the tests drive the same
`Stack` in-process, and the whole policy fits in one screen.
"""

from __future__ import annotations

import signal
import sys
import time
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Callable, Protocol


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0  # seconds before the first restart; doubles with each crash in the window
    max_delay: float = 30.0
    max_crashes: int = 5  # more crashes than this within `window` seconds: give up on that child
    window: float = 300.0


class Supervised(Protocol):
    """What the supervisor needs of the running servers (bot.run.serve.Stack)."""

    def names(self) -> list[str]: ...
    def exit_code(self, name: str) -> int | None: ...
    def restart(self, name: str) -> None: ...
    def ready_url(self, name: str) -> str: ...
    def serves_users(self, name: str) -> bool: ...


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return reply.status == 200
    except OSError:
        return False


def log_line(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} supervisor: {message}", file=sys.stderr, flush=True)


def supervise(
    stack: Supervised,
    policy: RestartPolicy = RestartPolicy(),
    log: Callable[[str], None] = log_line,
    poll_every: float = 0.5,
) -> int:
    """Watch the children until none that serves users is left; returns the exit code for the caller."""
    crashes: dict[str, deque[float]] = defaultdict(deque)
    due: dict[str, float] = {}  # child -> when to restart it
    down_since: dict[str, float] = {}  # child -> when it stopped, until it answers again
    given_up: set[str] = set()
    while True:
        now = time.monotonic()
        for name in stack.names():
            if name in given_up:
                continue
            if name in due:
                if now >= due[name]:
                    del due[name]
                    stack.restart(name)
                    log(f"{name}: restarted")
                continue
            code = stack.exit_code(name)
            if code is None:
                if name in down_since and answers(stack.ready_url(name)):
                    log(f"{name}: serving again, {now - down_since.pop(name):.1f} s after it stopped")
                continue
            recent = crashes[name]
            recent.append(now)
            while now - recent[0] > policy.window:
                recent.popleft()
            down_since.setdefault(name, now)
            if len(recent) > policy.max_crashes:
                given_up.add(name)
                log(
                    f"{name} {describe_exit(code)}, its {len(recent)}th crash within {policy.window:.0f} s; "
                    "giving up on it (see its log for the cause)"
                )
                if all(n in given_up for n in stack.names() if stack.serves_users(n)):
                    log("no Rasa server is left; stopping")
                    return code or 1
                continue
            delay = min(policy.max_delay, policy.first_delay * 2 ** (len(recent) - 1))
            due[name] = now + delay
            log(f"{name} {describe_exit(code)}; restarting it in {delay:.1f} s, the others keep serving")
        time.sleep(poll_every)
