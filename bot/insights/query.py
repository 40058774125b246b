"""The report's SQL: turns rebuilt from Rasa's `events` rows, grouped in the database.

A turn is one `user` event and the events after it until the same sender's
next `user` event (the bot's reply with its envelope, the `red_flag` slot the
safety layer set). Three passes over the period's events:

1. grouped turns (query `groups`): day, week, channel, topic, outcome, triage
   level, red-flag group and what the person did next, with counts;
2. skipped rows: how many events of the period had unreadable JSON;
3. the unanswered messages' texts, excluding every conversation that raised
   an alert (within the retention period), for grouping in Python.

How a turn's outcome is read from its envelope (SPEC section 2):
`triaged` when triage is emergency or urgent; `refused` for topic
chat.out_of_scope; for chat.fallback, `clarified` when the reply came from
the answer action itself (a clarifying question between two topics: no
`utter_action` in the event's metadata) and `not_understood` when it was a
domain response (utter_chat_fallback, utter_chat_offer_topics); `no_answer`
when no envelope was stored; otherwise `answered`.

What the person did next is their next turn within one hour (the domain's
session expiry): none is `left`; chat.human_handoff is `person`; the deny
intent is `denied` ("no, that's not it"); the same topic again, other than
"tell me more", is `repeated`; anything else is `continued`.
"""

from __future__ import annotations

import json
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.core.levels import LEVELS, PROFESSIONAL, URGENT
from bot.core.levels import rank as level_rank
from bot.insights.model import (
    ALERT_LEVELS,
    ANSWERED,
    CLARIFIED,
    CONTINUED,
    DENIED,
    LEFT,
    NO_ANSWER,
    NOT_UNDERSTOOD,
    PERSON,
    REFUSED,
    REPEATED,
    TRIAGED,
    UNANSWERED,
    Group,
    Period,
)
from bot.insights.sqljson import Dialect
from bot.privacy.events import events

SESSION_GAP = 3600  # seconds; domain.yml session_expiration_time is 60 minutes
_RANK = {level: level_rank(level) + 1 for level in LEVELS}  # 0 is left for a turn without a level
_LEVEL_OF_RANK = {rank: level for level, rank in _RANK.items()}


def _turns(dialect: Dialect, period: Period) -> sa.sql.Select:
    """One row per turn, with the windows that need the sender's other turns."""
    u = _per_turn(_raw_events(dialect, period)).c
    by_sender = dict(partition_by=u.sender_id, order_by=u.turn_no)
    is_alert = sa.case((u.rank >= _RANK[PROFESSIONAL], 1), else_=0)
    return sa.select(
        u.sender_id,
        u.user_id,
        u.ts,
        u.channel,
        u.intent,
        u.topic,
        u.utter,
        u.rank,
        u.red_flag,
        dialect.day(u.ts).label("day"),
        dialect.week(u.ts).label("week"),
        sa.func.row_number().over(**by_sender).label("nth"),
        sa.func.lag(dialect.day(u.ts)).over(**by_sender).label("prev_day"),
        sa.func.lead(u.ts).over(**by_sender).label("next_ts"),
        sa.func.lead(u.intent).over(**by_sender).label("next_intent"),
        sa.func.lead(u.topic).over(**by_sender).label("next_topic"),
        is_alert.label("alert"),
        sa.func.sum(is_alert).over(partition_by=u.sender_id, order_by=u.turn_no, rows=(None, 0)).label("alerts_so_far"),
    ).where(u.ts.is_not(None))


def _raw_events(dialect: Dialect, period: Period) -> sa.sql.expression.CTE:
    """The period's user, bot and red_flag slot events with their JSON fields pulled out.

    The period is widened by SESSION_GAP so the last turns still see the person's next turn."""
    e = events.c
    if dialect.name == "postgresql":
        # Parse each row's JSON once (OFFSET 0 keeps PostgreSQL from inlining the parse into every
        # field) and carry only the extracted fields into the sort, not the documents.
        parsed = sa.select(dialect.document(e.data).label("doc")).correlate(events).offset(0).lateral("parsed")
        doc, source = parsed.c.doc, events.join(parsed, sa.true())
    else:
        doc, source = dialect.document(e.data), events
    wanted = sa.or_(e.type_name.in_(("user", "bot")), sa.and_(e.type_name == "slot", e.action_name == "red_flag"))
    is_user = e.type_name == "user"
    is_bot = e.type_name == "bot"
    triage = dialect.field(doc, "data", "custom", "triage")
    return (
        sa.select(
            e.id,
            e.sender_id,
            e.type_name,
            e.timestamp,
            e.intent_name,
            sa.case((is_user, dialect.field(doc, "input_channel"))).label("channel"),
            sa.case((is_bot, dialect.field(doc, "data", "custom", "topic"))).label("topic"),
            sa.case((is_bot, dialect.field(doc, "metadata", "utter_action"))).label("utter"),
            sa.case((is_bot, triage)).label("triage"),
            sa.case((e.type_name == "slot", dialect.field(doc, "value"))).label("red_flag"),
        )
        .select_from(source)
        .where(e.timestamp >= period.since, e.timestamp < period.until + SESSION_GAP, wanted)
        .cte("raw")
    )


def _per_turn(raw: sa.sql.expression.CTE) -> sa.sql.expression.CTE:
    """The events folded into one row per turn: numbered by the sender's user events, then grouped."""
    r = raw.c
    tagged = sa.select(
        r.id,
        r.sender_id,
        r.type_name,
        r.timestamp,
        r.intent_name,
        r.channel,
        r.topic,
        r.utter,
        sa.case(*((r.triage == level, rank) for level, rank in _RANK.items())).label("rank"),  # one parse each
        r.red_flag,
        sa.func.sum(sa.case((r.type_name == "user", 1), else_=0))
        .over(partition_by=r.sender_id, order_by=r.id, rows=(None, 0))
        .label("turn_no"),
    ).cte("tagged")
    t = tagged.c
    user = t.type_name == "user"
    return (
        sa.select(
            t.sender_id,
            t.turn_no,
            sa.func.min(sa.case((user, t.id))).label("user_id"),
            sa.func.min(sa.case((user, t.timestamp))).label("ts"),
            sa.func.max(sa.case((user, t.channel))).label("channel"),
            sa.func.max(sa.case((user, t.intent_name))).label("intent"),
            sa.func.max(t.topic).label("topic"),
            sa.func.max(sa.case((t.topic == "chat.fallback", t.utter))).label("utter"),
            sa.func.max(t.rank).label("rank"),
            sa.func.max(t.red_flag).label("red_flag"),
        )
        .where(t.turn_no > 0)
        .group_by(t.sender_id, t.turn_no)
        .cte("turns")
    )


def _outcome(w) -> sa.sql.ColumnElement:
    return sa.case(
        (w.rank >= _RANK[URGENT], TRIAGED),
        (w.topic == "chat.out_of_scope", REFUSED),
        (sa.and_(w.topic == "chat.fallback", w.utter.is_(None)), CLARIFIED),
        (w.topic == "chat.fallback", NOT_UNDERSTOOD),
        (w.topic.is_(None), NO_ANSWER),
        else_=ANSWERED,
    )


def _next_step(w) -> sa.sql.ColumnElement:
    return sa.case(
        (sa.or_(w.next_ts.is_(None), w.next_ts - w.ts > SESSION_GAP), LEFT),
        (sa.or_(w.next_topic == "chat.human_handoff", w.next_intent == "human_handoff"), PERSON),
        (w.next_intent == "deny", DENIED),
        (sa.and_(w.next_topic == w.topic, sa.func.coalesce(w.next_intent, "") != "tell_more"), REPEATED),
        else_=CONTINUED,
    )


TURNS_TABLE = "insights_turns"
_TURN_COLUMNS = (
    "sender_id",
    "user_id",
    "ts",
    "channel",
    "intent",
    "topic",
    "utter",
    "rank",
    "red_flag",
    "day",
    "week",
    "nth",
    "prev_day",
    "next_ts",
    "next_intent",
    "next_topic",
    "alert",
    "alerts_so_far",
)


def materialise_turns(connection: Connection, dialect: Dialect, period: Period) -> sa.sql.TableClause:
    """The period's turns, computed once into a temporary table that the other queries read.

    Temporary: private to this connection and gone when it closes. The statement holds
    only numbers and this module's constants, so it is compiled with its values inline.
    """
    select = _turns(dialect, period)
    sql = str(select.compile(connection, compile_kwargs={"literal_binds": True}))
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TURNS_TABLE}")
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {TURNS_TABLE} AS {sql}")
    return sa.table(TURNS_TABLE, *(sa.column(name) for name in _TURN_COLUMNS))


def grouped_turns(connection: Connection, turns: sa.sql.TableClause, period: Period) -> list[Group]:
    """Every channel's turns in the period, grouped; Report filters by channel."""
    w = turns.c
    outcome, next_step = _outcome(w).label("outcome"), _next_step(w).label("next_step")
    first_day = sa.case((sa.or_(w.prev_day.is_(None), w.prev_day != w.day), 1), else_=0)
    dims = (w.day, w.week, w.channel, w.topic, outcome, w.rank, w.red_flag, next_step)
    query = (
        sa.select(
            *dims,
            sa.func.count().label("turns"),
            sa.func.sum(sa.case((w.nth == 1, 1), else_=0)).label("conversations"),
            sa.func.sum(first_day).label("conversation_days"),
            sa.func.sum(sa.case((sa.and_(w.alert == 1, w.alerts_so_far == 1), 1), else_=0)).label(
                "alert_conversations"
            ),
        )
        .where(w.ts >= period.since, w.ts < period.until)
        .group_by(*dims)
    )
    groups = []
    for row in connection.execute(query):
        level = _LEVEL_OF_RANK.get(row.rank, "none")
        groups.append(
            Group(
                day=int(row.day),
                week=int(row.week),
                channel=row.channel,
                topic=row.topic,
                outcome=row.outcome,
                triage=level,
                red_flag=row.red_flag if level in ALERT_LEVELS else None,
                next_step=row.next_step,
                turns=int(row.turns),
                conversations=int(row.conversations or 0),
                conversation_days=int(row.conversation_days or 0),
                alert_conversations=int(row.alert_conversations or 0),
            )
        )
    return groups


def skipped_rows(connection: Connection, dialect: Dialect, period: Period) -> int:
    """Events of the period whose JSON could not be read (counted only when reading safely)."""
    if not dialect.safe:
        return 0
    e = events.c
    query = (
        sa.select(sa.func.count())
        .select_from(events)
        .where(
            e.timestamp >= period.since,
            e.timestamp < period.until,
            e.type_name.in_(("user", "bot", "slot")),
            dialect.document(e.data).is_(None),
        )
    )
    return int(connection.execute(query).scalar_one())


def unanswered_messages(
    connection: Connection, dialect: Dialect, turns: sa.sql.TableClause, period: Period, retention_start: float
) -> list[tuple[str, Optional[str], str, dict]]:
    """(outcome, channel, text, parse data) of every unanswered message in the period whose
    conversation never raised an alert within the retention period."""
    w = turns.c
    e = events.c
    alerted = sa.select(w.sender_id).where(w.alert == 1)
    if retention_start < period.since:  # alerts before the period: only that stretch is read again
        earlier = sa.select(e.sender_id).where(
            e.type_name == "bot",
            e.timestamp >= retention_start,
            e.timestamp < period.since,
            dialect.field(dialect.document(e.data), "data", "custom", "triage").in_(ALERT_LEVELS),
        )
        alerted = sa.union(alerted, earlier)
    outcome = _outcome(w)
    query = (
        sa.select(outcome.label("outcome"), w.channel, events.c.data)
        .select_from(turns)
        .join(events, events.c.id == w.user_id)
        .where(
            w.ts >= period.since,
            w.ts < period.until,
            outcome.in_(UNANSWERED),
            sa.func.coalesce(w.rank, 0) <= _RANK["none"],
            w.sender_id.not_in(alerted),
            *([w.channel == period.channel] if period.channel else []),
        )
        .order_by(w.user_id)
    )
    found = []
    for row in connection.execute(query):
        try:
            event = json.loads(row.data)
        except (TypeError, ValueError):
            continue
        if not isinstance(event, dict) or not isinstance(event.get("text"), str):
            continue
        parse = event.get("parse_data") if isinstance(event.get("parse_data"), dict) else {}
        found.append((row.outcome, row.channel, event["text"], parse))
    return found
