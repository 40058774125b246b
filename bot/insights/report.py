"""Building a report from a conversation store, with every failure told as one clear sentence.

The page and the CLI show `InsightsError`'s message as it is: an unreachable
store, a store of another kind or a period the wrong way round never
produce a traceback. An empty store or an empty period is not an error: the
report says so.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, SQLAlchemyError

from bot.core.errors import reason
from bot.insights.grouping import group_unanswered
from bot.insights.model import Period, Report
from bot.insights.query import grouped_turns, materialise_turns, skipped_rows, unanswered_messages
from bot.insights.sqljson import Dialect
from bot.privacy.retention import configured_retention, parse_period


class InsightsError(RuntimeError):
    """The report could not be made; the message says why, without data or traceback."""


class BadRequest(InsightsError):
    """The period or channel asked for is not valid (the asker's mistake, not the store's)."""


@dataclass(frozen=True)
class Settings:
    """Read once (CLI start-up, channel creation) and passed in."""

    retention_text: str
    retention_seconds: float
    default_days: int = 30

    @classmethod
    def from_environment(cls) -> "Settings":
        """The retention period `bot privacy purge` is run with (BACKCARE_RETENTION, default 30d)."""
        try:
            text, seconds = configured_retention()
        except ValueError as exc:
            raise InsightsError(f"BACKCARE_RETENTION: {exc}") from None
        return cls(text, seconds)


def describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def open_store(url: str) -> Engine:
    """An engine of our own on the tracker store (never Rasa's: a report must not hold its connections)."""
    try:
        kwargs = {"connect_args": {"connect_timeout": 5}} if url.startswith("postgresql") else {}
        return sa.create_engine(url, hide_parameters=True, future=True, poolclass=sa.pool.NullPool, **kwargs)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise InsightsError(f"cannot use the conversation store {_safe(url)}: {reason(exc)}") from None


def _safe(url: str) -> str:
    """A URL fit for a message: its password hidden."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is named by its scheme only
        return repr(url.split(":", 1)[0] + ":...")


def clamp(period: Period, retention_seconds: float, now: float) -> tuple[Period, bool]:
    """The period, starting no earlier than the retention period allows."""
    if period.until <= period.since:
        raise BadRequest("the period is empty: 'since' must be before 'until'")
    earliest = now - retention_seconds
    if period.since >= earliest:
        return period, False
    clamped = Period(earliest, max(period.until, earliest), period.channel)
    # A default period worked out a moment before `now` is cut by that moment, silently.
    return clamped, period.since < earliest - 60


def build_report(engine: Engine, period: Period, settings: Settings, now: Optional[float] = None) -> Report:
    now = time.time() if now is None else now
    period, clamped = clamp(period, settings.retention_seconds, now)
    retention_start = now - settings.retention_seconds
    report = Report(
        period=period, retention_seconds=settings.retention_seconds, generated_at=now, groups=[], since_clamped=clamped
    )
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                report.store_empty = True
                return report
            try:
                dialect = Dialect(engine.dialect.name)
            except ValueError as exc:
                raise InsightsError(str(exc)) from None
            dialect.prepare(connection)
            try:
                turns = materialise_turns(connection, dialect, period)
            except DataError:  # PostgreSQL: a row whose JSON does not parse; read row by row instead
                connection.rollback()
                dialect = Dialect(engine.dialect.name, safe=True)
                dialect.prepare(connection)
                turns = materialise_turns(connection, dialect, period)
            groups = grouped_turns(connection, turns, period)
            report.groups = groups
            report.skipped_rows = skipped_rows(connection, dialect, period)
            report.store_empty = (
                not groups
                and not connection.execute(sa.select(sa.literal(1)).select_from(sa.table("events")).limit(1)).first()
            )
            report.channels_seen = tuple(sorted({g.channel for g in groups if g.channel}))
            messages = unanswered_messages(connection, dialect, turns, period, retention_start)
    except SQLAlchemyError as exc:
        raise InsightsError(f"cannot read the conversation store {describe(engine)}: {reason(exc)}") from None
    report.unanswered = group_unanswered(messages)
    return report


_CHANNEL = re.compile(r"[a-z0-9_.-]{1,40}")


def _day(text: str, what: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise BadRequest(f"{what} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01") from None


def period_from(
    since: Optional[str], until: Optional[str], channel: Optional[str], settings: Settings, now: Optional[float] = None
) -> Period:
    """The period people ask for: `since` a date (YYYY-MM-DD) or a span back from `until` (7d, 2w);
    `until` a date, included whole (default: now); by default the last 30 days."""
    now = time.time() if now is None else now
    end = (_day(until, "until") + dt.timedelta(days=1)).timestamp() if until else now
    if not since:
        start = end - settings.default_days * 86400
    elif since.strip()[:1].isdigit() and "-" in since:
        start = _day(since, "since").timestamp()
    else:
        try:
            start = end - parse_period(since)
        except ValueError as exc:
            raise BadRequest(f"since: {exc}, or a date YYYY-MM-DD") from None
    channel = (channel or "").strip().lower() or None
    if channel is not None and not _CHANNEL.fullmatch(channel):
        raise BadRequest(f"{channel!r} is not a channel name (rest, socketio, telegram, cmdline)")
    if end <= start:
        raise BadRequest("the period is empty: 'since' must be before 'until'")
    return Period(start, end, channel)
