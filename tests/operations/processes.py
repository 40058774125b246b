"""Helpers for tests that run the assistant's documented commands as an operator would."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from pathlib import Path
from typing import Optional

import requests

from bot.core import settings
from tests.support.waiting import wait_for


def pids_running(*fragments: str) -> list[int]:
    """Processes whose command line contains every fragment (read from /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        text = " ".join(a.decode(errors="replace") for a in args)
        if all(fragment in text for fragment in fragments):
            found.append(int(cmdline.parent.name))
    return found


def outside_address() -> str:
    """An IPv4 address of this machine that is not loopback; one is added on a dummy interface if none exists."""
    listed = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True)
    addresses = re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/", listed.stdout)
    if addresses:
        return addresses[0]
    subprocess.run(["ip", "link", "add", "bctest0", "type", "dummy"], check=True)
    subprocess.run(["ip", "addr", "add", "192.0.2.77/32", "dev", "bctest0"], check=True)
    subprocess.run(["ip", "link", "set", "bctest0", "up"], check=True)
    return "192.0.2.77"


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _ctrl_c_reaches_it() -> None:
    """Undo an inherited "ignore SIGINT": a shell without job control (`nohup make test &`, some CI
    runners) starts background jobs so, Python then installs no KeyboardInterrupt handler, and the
    Ctrl-C that stop() sends, as an operator's terminal would, is lost."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Command:
    """A documented command (`make run`, `bot serve`) in its own process group, its output collected."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            args,
            cwd=settings.ROOT,
            env={**os.environ, **env},
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_ctrl_c_reaches_it,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_output(self, text: str, timeout: float) -> None:
        if not wait_for(lambda: text in self.output or self.process.poll() is not None, timeout):
            raise TimeoutError(f"{text!r} not printed within {timeout:.0f} s; output so far:\n{self.output[-3000:]}")
        if text not in self.output:
            raise RuntimeError(
                f"exited with code {self.process.returncode} before printing {text!r}:\n{self.output[-3000:]}"
            )

    def stop(self, timeout: float = 60) -> Optional[int]:
        """Ctrl-C, as an operator stops it; returns its exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode
