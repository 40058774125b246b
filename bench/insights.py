"""How long the clinic insights report takes on 100,000 conversations (about a million events) in PostgreSQL.

    .venv/bin/python -m bench.insights [--conversations 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]

Creates a scratch database, fills Rasa's `events` table with COPY (rows built
from the same event shapes the tests seed through the tracker store: session
start, user message with parse data and channel, slots, action, bot message
with its envelope, action_listen), times `build_report` over the last 30 days
(the aggregation, the unanswered list and its grouping) and the HTML, then drops the
database. Not part of `make test`; the figure is in docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import uuid

import sqlalchemy as sa

from bot.insights.model import Period
from bot.insights.render import render_html
from bot.insights.report import Settings, build_report, open_store

DAY = 86400.0
TOPICS = [
    "condition.sciatica",
    "type.deep_tissue",
    "session.what_to_expect",
    "benefit.stress",
    "practical.booking",
    "self_care.at_home",
    "condition.herniated_disc",
    "session.aftercare",
    "type.swedish",
    "benefit.sleep",
]
CHANNELS = ["rest", "socketio", "telegram", "cmdline"]
UNANSWERED = [
    "does massage help with shingles",
    "can massage help shingles?",
    "what's the weather",
    "do you do couples massage",
    "call me on 07700 900123",
    "is there parking near you",
]


def _conversation(rng: random.Random, sender: str, now: float) -> list[tuple]:
    """Rows (sender_id, type_name, timestamp, intent_name, action_name, data) of one conversation."""
    t = now - rng.uniform(0, 30 * DAY)
    channel = rng.choice(CHANNELS)
    rows = [
        (
            sender,
            "action",
            t,
            None,
            "action_session_start",
            {"event": "action", "timestamp": t, "name": "action_session_start"},
        ),
        (sender, "session_started", t, None, None, {"event": "session_started", "timestamp": t}),
        (sender, "action", t, None, "action_listen", {"event": "action", "timestamp": t, "name": "action_listen"}),
    ]
    for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
        t += rng.uniform(20, 120)
        roll = rng.random()
        if roll < 0.8:
            topic, intent, triage, utter, text = rng.choice(TOPICS), "ask_condition", "none", None, "a question"
        elif roll < 0.92:
            topic, intent, triage, utter, text = (
                "chat.fallback",
                "nlu_fallback",
                "none",
                "utter_chat_fallback",
                rng.choice(UNANSWERED),
            )
        else:
            topic, intent, triage, utter, text = (
                "triage.alert",
                "triage_urgent",
                "urgent",
                "utter_triage_urgent",
                "fever and back pain",
            )
        ranking = [
            {"name": intent, "confidence": 0.9},
            {"name": "ask_condition", "confidence": 0.05},
            {"name": "greet", "confidence": 0.02},
        ]
        rows.append(
            (
                sender,
                "user",
                t,
                intent,
                None,
                {
                    "event": "user",
                    "timestamp": t,
                    "metadata": {},
                    "text": text,
                    "parse_data": {
                        "intent": ranking[0],
                        "entities": [],
                        "text": text,
                        "message_id": uuid.uuid4().hex,
                        "metadata": {},
                        "intent_ranking": ranking,
                    },
                    "input_channel": channel,
                    "message_id": uuid.uuid4().hex,
                },
            )
        )
        if triage != "none":
            rows.append(
                (
                    sender,
                    "slot",
                    t,
                    None,
                    "red_flag",
                    {"event": "slot", "timestamp": t, "name": "red_flag", "value": "infection"},
                )
            )
        rows.append(
            (
                sender,
                "action",
                t + 0.2,
                None,
                "action_answer",
                {"event": "action", "timestamp": t + 0.2, "name": "action_answer"},
            )
        )
        rows.append(
            (
                sender,
                "bot",
                t + 0.3,
                None,
                None,
                {
                    "event": "bot",
                    "timestamp": t + 0.3,
                    "metadata": {"utter_action": utter} if utter else {},
                    "text": "An answer of a few sentences about the topic, with its sources and the notice.",
                    "data": {
                        "elements": None,
                        "quick_replies": None,
                        "buttons": [],
                        "attachment": None,
                        "image": None,
                        "custom": {
                            "topic": topic,
                            "triage": triage,
                            "sources": [{"title": "NHS", "url": "https://www.nhs.uk/"}],
                            "disclaimer": True,
                        },
                    },
                },
            )
        )
        rows.append(
            (
                sender,
                "action",
                t + 0.4,
                None,
                "action_listen",
                {"event": "action", "timestamp": t + 0.4, "name": "action_listen"},
            )
        )
    return rows


def _copy(engine: sa.engine.Engine, conversations: int, now: float) -> int:
    rng = random.Random(20)
    buffer, count = io.StringIO(), 0
    for n in range(conversations):
        for sender, type_name, ts, intent, action, data in _conversation(rng, f"bench-{n:06d}", now):
            text = json.dumps(data).replace("\\", "\\\\")
            buffer.write("\t".join([sender, type_name, repr(ts), intent or "\\N", action or "\\N", text]) + "\n")
            count += 1
    buffer.seek(0)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.copy_expert(
                "COPY events (sender_id, type_name, timestamp, intent_name, action_name, data) FROM STDIN", buffer
            )
            cursor.execute("ANALYZE events")
        raw.commit()
    finally:
        raw.close()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a database to connect to for creating and dropping the scratch one",
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    admin_url = sa.engine.make_url(args.pg)
    name = f"backcare_bench_insights_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin_url.set(database=name).render_as_string(hide_password=False)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        from bot.privacy.events import _metadata

        _metadata.create_all(engine)  # the columns of Rasa's table (its own store adds the same)
        now = time.time()
        started = time.perf_counter()
        rows = _copy(engine, args.conversations, now)
        print(f"seeded {args.conversations} conversations, {rows} events in {time.perf_counter() - started:.1f} s")
        settings = Settings("30d", 30 * DAY)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = build_report(open_store(url), Period(now - 30 * DAY, now + 1), settings, now=now + 1)
            html = render_html(report)
            timings.append(time.perf_counter() - started)
        totals = report.totals()
        print(
            f"report: {totals['conversations']} conversations, {totals['turns']} turns, "
            f"{len(report.unanswered)} unanswered groups, {len(html) // 1024} KiB of HTML"
        )
        print(
            "seconds per report (aggregation + grouping + HTML with charts): "
            + ", ".join(f"{t:.2f}" for t in timings)
            + f"; best {min(timings):.2f}, target < 10"
        )
        return 0 if min(timings) < 10 else 1
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
