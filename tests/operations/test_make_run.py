"""`make run` as a clinic first runs it: quiet, closed to the outside, supervised, with `make shell` beside it."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import socket
import time
import uuid

import pytest
import requests

from bot.core import settings
from bot.run.harness import free_port
from tests.operations.processes import Command, answers, outside_address, pids_running
from tests.support.waiting import wait_for, wait_until

pytestmark = pytest.mark.e2e

EMERGENCY = "I suddenly can't feel anything between my legs and I can't pee"
QUESTION = "what happens at my first massage appointment?"
BANNER = "The back-care assistant is ready."


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """`make run` with nothing set but its ports and a scratch state directory: the default configuration."""
    port, actions_port = free_port(), free_port()
    env = {
        "BACKCARE_PORT": str(port),
        "BACKCARE_ACTIONS_PORT": str(actions_port),
        "BACKCARE_STATE_DIR": str(tmp_path_factory.mktemp("make-run-state")),
    }
    for name in ("BACKCARE_API_TOKEN", "BACKCARE_HOST", "BACKCARE_LOG_LEVEL", "BACKCARE_PROFILE"):
        env[name] = ""  # whatever the caller's shell has, test the defaults
    command = Command(["make", "--no-print-directory", "run"], env)
    try:
        command.wait_for_output(BANNER, timeout=600)
        command.port, command.actions_port = port, actions_port
        yield command
    finally:
        command.stop()


def ask(port: int, text: str, sender: str | None = None, timeout: float = 30) -> dict:
    reply = requests.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        json={"sender": sender or uuid.uuid4().hex, "message": text},
        timeout=timeout,
    )
    reply.raise_for_status()
    [envelope] = [m["custom"] for m in reply.json() if "custom" in m]
    return {"texts": [m.get("text", "") for m in reply.json()], **envelope}


def test_start_up_shows_steps_and_banner_but_no_third_party_deprecation_warning(make_run):
    before_ready = make_run.output.split(BANNER)[0]
    assert "Checking the model" in before_ready
    assert "Starting the servers" in before_ready
    assert "Warning" not in before_ready and "warning" not in before_ready.lower(), before_ready
    assert "Rasa HTTP API:        off" in make_run.output
    assert "this machine only" in make_run.output


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/conversations/{sender}/tracker"),
        ("POST", "/conversations/{sender}/tracker/events"),
        ("PUT", "/conversations/{sender}/tracker/events"),
        ("GET", "/conversations/{sender}/story"),
        ("POST", "/conversations/{sender}/trigger_intent"),
        ("PUT", "/model"),
        ("POST", "/model/train"),
        ("POST", "/model/parse"),
        ("GET", "/status"),
    ],
)
def test_the_http_api_is_not_served_without_a_token(make_run, method, path):
    sender = uuid.uuid4().hex
    ask(make_run.port, "my name is Ann and I take warfarin", sender=sender)  # something worth stealing
    reply = requests.request(
        method,
        f"http://127.0.0.1:{make_run.port}{path.format(sender=sender)}",
        json={"event": "slot", "name": "x", "value": "y"},
        timeout=30,
    )
    assert reply.status_code in (401, 403, 404, 405), (reply.status_code, reply.text[:300])
    assert "warfarin" not in reply.text


def test_the_server_does_not_answer_on_other_interfaces(make_run):
    address = outside_address()
    assert answers(f"http://127.0.0.1:{make_run.port}/")
    for port in (make_run.port, make_run.actions_port):
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=3).close()


def test_make_shell_works_beside_make_run(make_run, tmp_path):
    """Exactly the banner's advice, in a terminal: `make shell` in another terminal."""
    env = {
        **os.environ,
        "BACKCARE_ACTIONS_PORT": str(make_run.actions_port),
        "BACKCARE_STATE_DIR": str(tmp_path),
        "BACKCARE_PORT": str(make_run.port),
    }  # even with the port of the running server set
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal session running `make shell`
        os.chdir(settings.ROOT)
        os.execvpe("make", ["make", "--no-print-directory", "shell"], env)
    screen = b""

    def read_until(pattern: str, timeout: float) -> bool:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    break
            if re.search(pattern, screen.decode(errors="replace")):
                return True
        return False

    try:
        assert read_until(r"Your input", 240), screen.decode(errors="replace")[-3000:]
        os.write(fd, QUESTION.encode() + b"\r")
        assert read_until(r"not medical advice", 60), screen.decode(errors="replace")[-3000:]
        text = screen.decode(errors="replace")
        assert "address already in use" not in text
        assert f"Using the action server already running on port {make_run.actions_port}" in text
        os.write(fd, b"/stop\r")
        read_until(r"$^", 5)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        for shell_pid in pids_running("bot.rasa.server", "shell"):
            os.kill(shell_pid, signal.SIGTERM)
    assert answers(f"http://127.0.0.1:{make_run.port}/"), "make run must be unaffected"


def test_a_killed_action_server_is_restarted_and_emergencies_are_answered_meanwhile(make_run):
    [action_server] = pids_running("bot.run.action_server", "--port", str(make_run.actions_port))
    os.kill(action_server, signal.SIGKILL)

    def answered_from_the_fact_base() -> bool:
        emergency = ask(make_run.port, EMERGENCY)  # emergencies never wait for the action server
        assert emergency["triage"] == "emergency" and emergency["topic"] == "triage.alert"
        return bool(ask(make_run.port, QUESTION)["sources"])  # not "please try again"

    wait_until(
        answered_from_the_fact_base, 30, "questions answered again after the action server was killed", every=0.5
    )
    assert wait_for(lambda: "actions: serving again" in make_run.output, 10), make_run.output[-2000:]
    assert "restarting it in" in make_run.output
