"""Reading and deleting conversations in Rasa's `events` table.

One row per event: `sender_id`, `type_name`, `timestamp` (Unix seconds) and
`data` (the event as JSON, message texts included). Rasa rebuilds a
conversation from the rows since its latest `session_started` event, so a
purge never cuts into that live session of a conversation that is still
going on; everything else older than the cutoff goes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

# The columns of Rasa 3.6's SQLTrackerStore.SQLEvent that these commands use.
_metadata = sa.MetaData()
events = sa.Table(
    "events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def has_events_table(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("events")


def senders_with_events_before(connection: Connection, cutoff: float) -> list[str]:
    query = sa.select(events.c.sender_id).where(events.c.timestamp < cutoff).distinct()
    return sorted(connection.execute(query).scalars())


@dataclass
class PurgeResult:
    removed: list[str] = field(default_factory=list)  # conversations deleted entirely
    trimmed: dict[str, int] = field(default_factory=dict)  # sender -> old events deleted
    events: int = 0

    def summary(self, dry_run: bool = False) -> str:
        verb = "would delete" if dry_run else "deleted"
        whole = f"{len(self.removed)} conversation{'' if len(self.removed) == 1 else 's'}"
        return f"{verb} {self.events} events: {whole} entirely, older sessions of {len(self.trimmed)} more"


def purge_sender(
    connection: Connection, sender_id: str, cutoff: float, result: PurgeResult, dry_run: bool = False
) -> None:
    """Delete this sender's events older than `cutoff`, keeping a live session whole."""
    mine = events.c.sender_id == sender_id
    newest, live_from = connection.execute(
        sa.select(
            sa.func.max(events.c.timestamp),
            sa.func.max(sa.case((events.c.type_name == "session_started", events.c.timestamp))),
        ).where(mine)
    ).one()
    if newest is None:
        return
    if newest < cutoff:
        condition = mine  # nothing recent: the whole conversation goes
    elif live_from is not None:
        condition = sa.and_(mine, events.c.timestamp < cutoff, events.c.timestamp < live_from)
    else:
        return  # one session, still going on
    count = connection.execute(sa.select(sa.func.count()).select_from(events).where(condition)).scalar_one()
    if not count:
        return
    if not dry_run:
        connection.execute(sa.delete(events).where(condition))
    result.events += count
    if newest < cutoff:
        result.removed.append(sender_id)
    else:
        result.trimmed[sender_id] = count


def delete_sender(connection: Connection, sender_id: str) -> int:
    """Erase every event of `sender_id`; returns how many."""
    return connection.execute(sa.delete(events).where(events.c.sender_id == sender_id)).rowcount


def export_sender(connection: Connection, sender_id: str) -> list[dict]:
    """Every stored event of `sender_id`, oldest first, as Rasa wrote it."""
    rows = connection.execute(
        sa.select(events.c.data).where(events.c.sender_id == sender_id).order_by(events.c.id)
    ).scalars()
    return [json.loads(data) for data in rows]


def transcript(stored: Iterable[dict]) -> list[dict]:
    """The readable part of an export: who said what, when."""
    lines = []
    for event in stored:
        if event.get("event") not in ("user", "bot"):
            continue
        stamp = event.get("timestamp")
        line: dict[str, Optional[object]] = {
            "at": dt.datetime.fromtimestamp(stamp, dt.timezone.utc).isoformat() if stamp else None,
            "from": "person" if event["event"] == "user" else "assistant",
            "text": event.get("text"),
        }
        if event["event"] == "bot" and (event.get("data") or {}).get("custom"):
            line["topic"] = event["data"]["custom"].get("topic")
        lines.append(line)
    return lines
