"""Two Rasa servers sharing PostgreSQL and Redis behave like one assistant."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.production import Production, acknowledged, recorded_turns

pytestmark = [pytest.mark.e2e, pytest.mark.services]

CONVERSATION = [
    "tell me about deep tissue massage",
    "hello",
    "will massage help my sciatica?",
    "what happens at my first massage appointment?",
    "how long does a session last?",
    "thanks",
]


def test_a_conversation_alternating_between_servers_keeps_its_slots_and_history(whole: Production):
    sender = f"alternate-{uuid.uuid4().hex}"
    first_slots: dict = {}
    for index, text in enumerate(CONVERSATION):
        server, other = index % 2, (index + 1) % 2
        assert acknowledged(whole.ask(server, sender, text, seq=index))
        # The other server, which did not take this turn, sees the whole conversation so far.
        seen = whole.tracker(other, sender)
        assert [e["text"] for e in seen["events"] if e["event"] == "user"] == CONVERSATION[: index + 1]
        assert seen["slots"] == whole.tracker(server, sender)["slots"]
        if index == 0:
            first_slots = {k: v for k, v in seen["slots"].items() if v is not None and k != "session_started_metadata"}
            assert first_slots, "the first turn should have set a slot for this test to mean anything"

    turns = recorded_turns(whole.stored(sender))
    assert [t.user["text"] for t in turns] == CONVERSATION
    assert [t.seq for t in turns] == list(range(len(CONVERSATION)))
    # A slot the first turn set (on server 0) and no later turn changed still holds on server 1.
    later = {e["name"] for t in turns[1:] for e in t.events if e["event"] == "slot"}
    final = whole.tracker(1, sender)["slots"]
    kept = {name: value for name, value in first_slots.items() if name not in later}
    assert kept, f"every slot of the first turn was set again later: {sorted(first_slots)}"
    assert {name: final[name] for name in kept} == kept


BURST = [
    "hello",
    "tell me about swedish massage",
    "will massage help my sciatica?",
    "is massage safe if I take blood thinners?",
]


def test_concurrent_conversations_on_both_servers_record_every_turn_once_and_in_order(whole: Production):
    run = uuid.uuid4().hex[:8]
    senders = [f"burst-{run}-{n}" for n in range(20)]
    jobs = [(sender, seq) for sender in senders for seq in range(len(BURST))]

    def send(job: tuple[str, int]) -> tuple[str, int, object]:
        sender, seq = job
        server = (seq + senders.index(sender)) % 2  # each conversation's messages go to both servers
        return sender, seq, whole.ask(server, sender, f"{BURST[seq]} zq{run}", seq=seq)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:  # every message of every sender at once
        replies = {(sender, seq): turn for sender, seq, turn in pool.map(send, jobs)}

    assert all(acknowledged(turn) for turn in replies.values())
    for sender in senders:
        turns = recorded_turns(whole.stored(sender))  # whole turns that never overlap in time
        assert sorted(t.seq for t in turns) == list(range(len(BURST))), f"{sender}: {[t.seq for t in turns]}"
        for turn in turns:
            # The reply the person got is the one recorded right after their message.
            assert turn.topics == [replies[(sender, turn.seq)].custom["topic"]], sender
        # Both servers rebuild the same conversation from PostgreSQL.
        expected = [t.user["text"] for t in turns]
        for server in (0, 1):
            seen = whole.tracker(server, sender)
            assert [e["text"] for e in seen["events"] if e["event"] == "user"] == expected
