"""PostgreSQL or Redis going away under running servers, and coming back.

What must hold while a service is down: every message still gets exactly
one envelope, and an emergency still gets the emergency reply (safety beats
convenience); the log says which service is down, without message texts.
When it comes back: the next turns are stored again, on top of the intact
conversation, with no server restarted.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.production import Production, acknowledged, recorded_turns
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.services]

EMERGENCY = "I suddenly can't feel anything between my legs and I can't pee"


def test_postgres_down_emergencies_are_still_answered_and_turns_are_stored_again_after(whole: Production):
    sender, marker = f"pg-outage-{uuid.uuid4().hex}", f"zq{uuid.uuid4().hex[:8]}"
    assert acknowledged(whole.ask(0, sender, "tell me about deep tissue massage", seq=0))

    whole.pg_proxy.cut()
    try:
        emergency = whole.ask(1, sender, f"{EMERGENCY} {marker}")
        assert emergency.custom["triage"] == "emergency", "an emergency must not depend on PostgreSQL"
        question = whole.ask(0, sender, f"will massage help my sciatica? {marker}")
        assert question.custom["topic"]  # exactly one envelope, whatever the turn could do
    finally:
        whole.pg_proxy.restore()

    # Nothing restarted: the servers reconnect by themselves, on both sides of the proxy.
    assert acknowledged(whole.ask(1, sender, "what happens at my first massage appointment?", seq=1))
    assert acknowledged(whole.ask(0, sender, "thanks", seq=2))
    turns = recorded_turns(whole.stored(sender))
    # The outage turns were answered but could not be stored; nothing half-written either.
    assert [t.seq for t in turns] == [0, 1, 2]
    assert [e["text"] for e in whole.tracker(0, sender)["events"] if e["event"] == "user"] == [
        t.user["text"] for t in turns
    ]

    logs = whole.logs()
    where = f"PostgreSQL tracker store at 127.0.0.1:{whole.pg_proxy.port} (database {whole.database})"
    assert f"{where} could not be read" in logs or f"{where} could not be written" in logs
    assert marker not in logs


def test_redis_down_turns_are_answered_in_order_and_locks_are_shared_again_after(whole: Production):
    sender, marker = f"redis-outage-{uuid.uuid4().hex}", f"zq{uuid.uuid4().hex[:8]}"
    whole.redis_proxy.cut()
    try:
        texts = ["hello", "tell me about swedish massage", "will massage help my sciatica?"]
        with ThreadPoolExecutor(max_workers=3) as pool:  # at once, to one server: its own lock orders them
            replies = list(pool.map(lambda n: whole.ask(0, sender, f"{texts[n]} {marker}", seq=n), range(3)))
        assert all(acknowledged(turn) for turn in replies)
        assert whole.ask(1, f"{sender}-sos", f"{EMERGENCY} {marker}").custom["triage"] == "emergency"
    finally:
        whole.redis_proxy.restore()
    turns = recorded_turns(whole.stored(sender))
    assert sorted(t.seq for t in turns) == [0, 1, 2]

    logs = whole.logs()
    where = f"Redis lock store at 127.0.0.1:{whole.redis_proxy.port} (db 2)"
    assert f"{where} is unreachable" in logs
    assert marker not in logs

    # Each server tries Redis again a few seconds after it failed (on its next turn), then
    # shares locks again: a burst to both servers is recorded exactly once and in order.
    def back_on_redis(server: int, port: int) -> bool:
        assert acknowledged(whole.ask(server, f"{sender}-probe", "hello"))
        return f"{where} is reachable again" in (whole.log_dir / f"rasa-{port}.log").read_text(errors="replace")

    for server, port in enumerate(whole.cluster.options.ports):
        wait_until(lambda s=server, p=port: back_on_redis(s, p), 30, f"server {server} using Redis again", every=1)
    burst = f"{sender}-after"
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda n: whole.ask(n % 2, burst, texts[n % 3], seq=n), range(4)))
    assert all(acknowledged(turn) for turn in replies)
    assert sorted(t.seq for t in recorded_turns(whole.stored(burst))) == [0, 1, 2, 3]


def test_logs_hold_no_message_texts(whole: Production):
    """Everything the tests sent, outages included: no message text reached any server's log."""
    marker = f"zq{uuid.uuid4().hex[:8]}"
    whole.ask(0, f"log-{marker}", f"my back hurts after gardening {marker}")
    whole.ask(1, f"log-{marker}", f"{EMERGENCY} {marker}")
    logs = whole.logs()
    assert marker not in logs.replace(f"log-{marker}", "")
    distinctive = {text for text in whole.sent if len(text) >= 12}
    leaked = sorted(text for text in distinctive if text.lower() in logs.lower())
    assert not leaked, f"message texts in the logs: {leaked[:3]}"
