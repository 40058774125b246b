"""Who can reach what: Rasa's HTTP API only with the token, other interfaces only when BACKCARE_HOST allows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from bot.core import settings
from bot.rasa.server import with_api_protection
from bot.run.harness import start_assistant
from tests.operations.processes import answers, outside_address

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """An assistant as an operator opens it up: the API on with a token, listening on every interface."""
    running = start_assistant(tmp_path_factory.mktemp("opened"), api=True, extra_env={"BACKCARE_HOST": "0.0.0.0"})
    yield running
    running.stack.stop()


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/conversations/{sender}/tracker"),
        ("POST", "/conversations/{sender}/tracker/events"),
        ("PUT", "/model"),
        ("POST", "/model/train"),
    ],
)
def test_with_a_token_set_the_api_answers_only_with_that_token(opened, method, path):
    sender = uuid.uuid4().hex
    opened.ask("hello", sender=sender)
    url = f"{opened.url}{path.format(sender=sender)}"
    body = {"event": "slot", "name": "massage_type", "value": "swedish"}
    for token in (None, "wrong-" + opened.api_token, opened.api_token[:-1]):
        reply = requests.request(method, url, params={"token": token} if token else {}, json=body, timeout=30)
        assert reply.status_code in (401, 403), (token, reply.status_code, reply.text[:200])
    if method == "GET":
        reply = requests.get(url, params={"token": opened.api_token}, timeout=30)
        assert reply.status_code == 200 and reply.json()["sender_id"] == sender


def test_with_backcare_host_set_other_interfaces_are_answered(opened):
    address = outside_address()
    port = int(opened.url.rsplit(":", 1)[1])
    assert answers(f"http://{address}:{port}/")
    # The action server stays on loopback whatever BACKCARE_HOST says: only the Rasa servers call it.
    with pytest.raises(OSError):
        socket.create_connection((address, opened.stack.options.actions_port), timeout=3).close()


def test_the_token_is_added_inside_the_process_never_on_a_command_line(opened):
    for process in opened.stack.processes:
        assert opened.api_token.encode() not in Path(f"/proc/{process.pid}/cmdline").read_bytes()
    assert with_api_protection(["run", "--enable-api"], {"BACKCARE_API_TOKEN": "s3cret"}) == [
        "run",
        "--enable-api",
        "--auth-token=s3cret",
    ]
    assert with_api_protection(["run"], {"BACKCARE_API_TOKEN": "s3cret"}) == ["run"]
    assert with_api_protection(["run", "--enable-api", "--jwt-secret", "k"], {}) == [
        "run",
        "--enable-api",
        "--jwt-secret",
        "k",
    ]


@pytest.mark.parametrize("token", ["s3cret", "-starts-with-a-dash", "--looks-like-an-option"])
def test_rasa_reads_back_any_token_even_one_that_starts_with_a_dash(token):
    from rasa.__main__ import create_argument_parser

    argv = with_api_protection(["run", "--enable-api"], {"BACKCARE_API_TOKEN": token})
    assert create_argument_parser().parse_args(argv).auth_token == token


@pytest.mark.parametrize("profile", ["production", "embedded"])
def test_the_api_without_a_token_is_refused_and_the_variable_named(profile):
    env = {**os.environ, "BACKCARE_PROFILE": profile, "BACKCARE_API_TOKEN": ""}
    started = subprocess.run(
        [sys.executable, "-m", "bot.rasa.server", "run", "--enable-api", "--port", "1"],
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "BACKCARE_API_TOKEN" in started.stderr
    assert profile in started.stderr
