"""A Rasa server killed mid-run: the other carries on and no acknowledged turn is lost.

Named to run last in this package: it kills a server (the `whole` fixture
restarts it for any test that comes after).
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.run.harness import Turn
from tests.support.production import Production, acknowledged, recorded_turns

pytestmark = [pytest.mark.e2e, pytest.mark.services]

MESSAGES = [
    "hello",
    "tell me about deep tissue massage",
    "will massage help my sciatica?",
    "how long does a session last?",
    "what happens at my first massage appointment?",
    "is massage safe if I take blood thinners?",
    "thanks",
]
SENDERS = 8
KILL_AFTER = 16  # acknowledged turns before server 0 is killed


def test_killing_a_server_mid_run_loses_no_acknowledged_turn(whole: Production):
    run = uuid.uuid4().hex[:8]
    senders = [f"killed-{run}-{n}" for n in range(SENDERS)]
    acked: dict[str, list[int]] = {s: [] for s in senders}
    unacked: dict[str, list[int]] = {s: [] for s in senders}
    after_kill: list[bool] = []  # one entry per turn sent to the survivor after the kill
    count, killed = threading.Condition(), threading.Event()

    def converse(index: int) -> None:
        sender = senders[index]
        for seq, text in enumerate(MESSAGES):
            # Like a load balancer: alternate while both are up, only the survivor once one is gone.
            server = 1 if killed.is_set() else (seq + index) % 2
            sent_after_kill = killed.is_set()
            try:
                reply = whole.post(server, sender, text, seq=seq)
                reply.raise_for_status()
                ok = acknowledged(Turn(reply.json()))
            except requests.RequestException:
                ok = False  # the server died with this turn in hand: never acknowledged
            (acked if ok else unacked)[sender].append(seq)
            if sent_after_kill:
                after_kill.append(ok)
            with count:
                count.notify_all()

    def kill_when_busy() -> None:
        with count:
            count.wait_for(lambda: sum(map(len, acked.values())) >= KILL_AFTER, timeout=300)
        whole.cluster.kill(0)  # SIGKILL: no clean shutdown, turns in flight die with it
        killed.set()

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        list(pool.map(converse, range(SENDERS)))
    killer.join()
    took = time.monotonic() - started

    assert killed.is_set()
    assert after_kill and all(after_kill), "the surviving server must answer everything sent to it"
    assert sum(map(len, acked.values())) > KILL_AFTER, "turns went on after the kill"
    for sender in senders:
        stored = [t.seq for t in recorded_turns(whole.stored(sender))]  # whole turns, never overlapping
        assert set(acked[sender]) <= set(stored), f"{sender}: acknowledged {acked[sender]}, stored {stored}"
        assert stored == sorted(set(stored)), f"{sender}: stored out of order or twice: {stored}"
        assert set(stored) <= set(acked[sender]) | set(unacked[sender])
    # A dead server's conversation locks lapse within one lock lifetime; nothing waits much longer.
    assert took < 240, f"the run took {took:.0f} s"

    # Restarted, the killed server picks every conversation up where PostgreSQL has it.
    whole.ensure_whole()
    for sender in senders:
        expected = [t.user["text"] for t in recorded_turns(whole.stored(sender))]
        seen = whole.tracker(0, sender)
        assert [e["text"] for e in seen["events"] if e["event"] == "user"] == expected
