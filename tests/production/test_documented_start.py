"""The production profile started the documented way (`bot serve`, BACKCARE_PROFILE=production) survives a
killed Rasa server: the other answers every turn, the killed one is restarted and serves again within 30 s."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from bot.run.harness import free_port
from tests.operations.processes import Command, pids_running
from tests.support.production import settings_for
from tests.support.services import redis_prefix, require_services, scratch_database
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.services]

QUESTIONS = [
    "will massage help my sciatica?",
    "how long does a session last?",
    "hello",
    "I suddenly can't feel anything between my legs and I can't pee",
]


def two_free_ports() -> int:
    """A port P such that P and P + 1 are free (`bot serve --port P` puts the second server on P + 1)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
    raise RuntimeError("no two consecutive free ports")


@pytest.fixture(scope="module")
def served():
    require_services()
    with scratch_database() as database, redis_prefix() as prefix:
        port, actions_port = two_free_ports(), free_port()
        env = {**settings_for(database, prefix).environment(), "BACKCARE_API_TOKEN": "", "BACKCARE_HOST": ""}
        bot = str(Path(sys.executable).parent / "bot")  # the venv's `bot` command, as `make run-production` runs it
        command = Command([bot, "serve", "--port", str(port), "--actions-port", str(actions_port)], env)
        try:
            command.wait_for_output("The back-care assistant is ready (production profile).", timeout=600)
            command.ports = (port, port + 1)
            yield command
        finally:
            assert command.stop() == 0, command.output[-3000:]


def ready(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/webhooks/health/ready", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def test_both_servers_report_ready(served):
    assert all(ready(port) for port in served.ports)


def test_a_killed_server_is_restarted_while_the_other_answers_every_turn(served):
    killed_port, survivor = served.ports
    [victim] = pids_running("bot.rasa.server", "--port", str(killed_port))
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    answered, sent = 0, 0
    back_after = None
    while time.monotonic() - killed_at < 30:
        for text in QUESTIONS:
            sent += 1
            reply = requests.post(
                f"http://127.0.0.1:{survivor}/webhooks/rest/webhook",
                json={"sender": uuid.uuid4().hex, "message": text},
                timeout=30,
            )
            if reply.status_code == 200 and any("custom" in m for m in reply.json()):
                answered += 1
        if ready(killed_port):
            back_after = time.monotonic() - killed_at
            break
        time.sleep(1)  # people's pace, not a flood: the restart needs the CPU too
    assert answered == sent, f"the surviving server answered {answered} of {sent} turns"
    assert back_after is not None, f"the killed server was not serving again within 30 s:\n{served.output[-2000:]}"
    assert wait_for(lambda: f"rasa-{killed_port}: serving again" in served.output, 10), served.output[-2000:]
    assert f"rasa-{killed_port} was killed by SIGKILL; restarting it" in served.output
    assert "stopping the others" not in served.output
