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

from bot.insights import sample
from bot.insights.model import Period
from bot.insights.render import render_html
from bot.insights.report import Settings, build_report, open_store
from bot.insights.sample import CHANNELS, DAY
from bot.insights.sample import TOPICS as TEST_TOPICS

# The tests' topics and a few more, so the report has more rows to rank.
TOPICS = [*TEST_TOPICS, "condition.herniated_disc", "session.aftercare", "type.swedish", "benefit.sleep"]
UNANSWERED = [
    "does massage help with shingles",
    "can massage help shingles?",
    "what's the weather",
    "do you do couples massage",
    "call me on 07700 900123",
    "is there parking near you",
]


def _conversation(rng: random.Random, now: float) -> list[dict]:
    """The events of one conversation in the last 30 days, as Rasa stores them (`bot.insights.sample`)."""
    t = now - rng.uniform(0, 30 * DAY)
    channel = rng.choice(CHANNELS)
    events = sample.session_start(t)
    for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
        t += rng.uniform(20, 120)
        roll = rng.random()
        if roll < 0.8:
            topic, intent, triage, utter, text = rng.choice(TOPICS), "ask_condition", "none", None, "a question"
        elif roll < 0.92:
            topic, intent, triage, utter = "chat.fallback", "nlu_fallback", "none", "utter_chat_fallback"
            text = rng.choice(UNANSWERED)
        else:
            topic, intent, triage, utter = "triage.alert", "triage_urgent", "urgent", "utter_triage_urgent"
            text = "fever and back pain"
        ranking = [
            {"name": intent, "confidence": 0.9},
            {"name": "ask_condition", "confidence": 0.05},
            {"name": "greet", "confidence": 0.02},
        ]
        events += sample.turn(
            t,
            channel=channel,
            parse_data={"intent": ranking[0], "entities": [], "text": text, "intent_ranking": ranking},
            action_name="action_answer",
            reply="An answer of a few sentences about the topic, with its sources and the notice.",
            custom={
                "topic": topic,
                "triage": triage,
                "sources": [{"title": "NHS", "url": "https://www.nhs.uk/"}],
                "disclaimer": True,
            },
            utter=utter,
            buttons=[],
            slots=[("red_flag", "infection")] if triage != "none" else (),
        )
    return events


def _row(sender: str, event: dict) -> str:
    """One line of COPY text: the columns as Rasa's SQL tracker store fills them from an event."""
    intent = event.get("parse_data", {}).get("intent", {}).get("name")
    text = json.dumps(event).replace("\\", "\\\\")
    columns = [sender, event["event"], repr(event["timestamp"]), intent or "\\N", event.get("name") or "\\N", text]
    return "\t".join(columns) + "\n"


def _copy(engine: sa.engine.Engine, conversations: int, now: float) -> int:
    rng = random.Random(20)
    buffer, count = io.StringIO(), 0
    for n in range(conversations):
        for event in _conversation(rng, now):
            buffer.write(_row(f"bench-{n:06d}", event))
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
