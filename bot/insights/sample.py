"""Conversations as Rasa 3.6 stores them in its `events` table, for the insights tests and benchmark.

The tests save these events through the project's tracker stores, the benchmark
COPYs a million of them straight into PostgreSQL; both build them here so the
rows the report is tested on and timed on have one shape, the one the servers write.
Each event is the dict Rasa's `Event.as_dict` gives (what the `data` column holds).
"""

from __future__ import annotations

from typing import Iterable, Optional

DAY = 86400.0
TOPICS = [
    "condition.sciatica",
    "type.deep_tissue",
    "session.what_to_expect",
    "benefit.stress",
    "practical.booking",
    "self_care.at_home",
]
CHANNELS = ["rest", "socketio", "telegram", "cmdline"]


def action(t: float, name: str) -> dict:
    return {"event": "action", "timestamp": t, "name": name}


def slot(t: float, name: str, value: object) -> dict:
    return {"event": "slot", "timestamp": t, "name": name, "value": value}


def session_start(t: float) -> list[dict]:
    """What opens every conversation: the session-start action, the session, then waiting for the user."""
    return [action(t, "action_session_start"), {"event": "session_started", "timestamp": t}, action(t, "action_listen")]


def turn(
    t: float,
    *,
    channel: str,
    parse_data: dict,
    action_name: str,
    reply: str,
    custom: dict,
    utter: Optional[str] = None,
    buttons: Optional[list] = None,
    slots: Iterable[tuple[str, object]] = (),
    after: Iterable[tuple[str, object]] = (),
) -> list[dict]:
    """One turn: the user message, the slots its parse fills, the action, the reply with its envelope
    (`custom`), the slots the answer sets (`after`), then action_listen."""
    user = {
        "event": "user",
        "timestamp": t,
        "text": parse_data["text"],
        "parse_data": parse_data,
        "input_channel": channel,
    }
    bot = {
        "event": "bot",
        "timestamp": t + 1,
        "metadata": {"utter_action": utter} if utter else {},
        "text": reply,
        "data": {
            "elements": None,
            "quick_replies": None,
            "buttons": buttons,
            "attachment": None,
            "image": None,
            "custom": custom,
        },
    }
    return [
        user,
        *(slot(t + 0.1, name, value) for name, value in slots),
        action(t + 0.5, action_name),
        bot,
        *(slot(t + 1, name, value) for name, value in after),
        action(t + 1.5, "action_listen"),
    ]
