"""Faults end to end: action server down, database down, slow actions, a restart."""

from __future__ import annotations

import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.run.harness import free_port, start_assistant

pytestmark = pytest.mark.e2e

EMERGENCY = "I suddenly can't feel anything between my legs and I can't pee"
QUESTION = "will massage help my sciatica?"


@pytest.fixture(scope="module")
def without_action_server(tmp_path_factory):
    # Nothing listens on the action port: the action server is "down".
    running = start_assistant(tmp_path_factory.mktemp("no-actions"), with_actions=False)
    yield running
    running.stack.stop()


def test_emergency_is_answered_without_the_action_server(without_action_server):
    turn = without_action_server.ask(EMERGENCY)
    assert turn.custom["topic"] == "triage.alert"
    assert turn.custom["triage"] == "emergency"
    assert turn.custom["call"] in turn.text


def test_questions_get_a_polite_retry_without_the_action_server(without_action_server):
    turn = without_action_server.ask(QUESTION)
    assert turn.custom["triage"] == "none"
    assert "try again" in turn.text


@pytest.fixture(scope="module")
def database_down(tmp_path_factory):
    running = start_assistant(tmp_path_factory.mktemp("db-down"), db_url="postgresql://postgres@127.0.0.1:1/nowhere")
    yield running
    running.stack.stop()


def test_database_down_gets_a_polite_answer_and_emergencies_still_work(database_down):
    turn = database_down.ask(QUESTION)
    assert "can't reach my knowledge base" in turn.text
    assert turn.custom["topic"] == "condition.sciatica"
    emergency = database_down.ask(EMERGENCY)
    assert emergency.custom["triage"] == "emergency"


class _SlowActions(BaseHTTPRequestHandler):
    delay = 30.0

    def do_POST(self):  # noqa: N802 - http.server's naming
        time.sleep(self.delay)
        self.send_response(500)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_slow_action_server_gets_a_timely_polite_reply(tmp_path):
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _SlowActions)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    running = start_assistant(
        tmp_path, with_actions=False, actions_port=port, extra_env={"BACKCARE_TURN_TIMEOUT_SECONDS": "3"}
    )
    try:
        started = time.monotonic()
        turn = running.ask(QUESTION)
        took = time.monotonic() - started
        assert "try again" in turn.text
        assert took < 20, f"the reply took {took:.1f} s"
        assert running.ask(EMERGENCY).custom["triage"] == "emergency"
    finally:
        running.stack.stop()
        server.shutdown()


def test_a_restart_continues_the_conversation(tmp_path):
    sender = uuid.uuid4().hex
    first = start_assistant(tmp_path)
    try:
        first.ask("tell me about deep tissue massage", sender=sender)
    finally:
        first.stack.stop()
    second = start_assistant(tmp_path, api=True)
    try:
        tracker = second.tracker(sender)
        texts = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
        assert "tell me about deep tissue massage" in texts
        assert tracker["slots"].get("massage_type") == "deep_tissue"
        assert second.ask("bye", sender=sender).custom["topic"] == "chat.goodbye"
    finally:
        second.stack.stop()
