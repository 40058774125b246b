"""The few SQL expressions that differ between SQLite and PostgreSQL.

Rasa stores each event's JSON in a text column. Reading fields out of it, and
cutting Unix timestamps into UTC days and weeks, is written differently in the
two databases; everything else in bot/insights/query.py is portable Core SQL.

`safe=True` reads a row whose `data` is not valid JSON as NULL instead of
failing the whole query. SQLite checks with `json_valid`, cheaply, always.
PostgreSQL 15 has no such test, so the report first runs with a plain cast
(fast) and only if that fails uses a session-local function that catches the
error per row (slow, about ten times, but only for a store with a corrupted row).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

DAY = 86400
WEEK = 7 * DAY
# 1970-01-01 was a Thursday: weeks start on Monday 1970-01-05, four days later.
FIRST_MONDAY = 4 * DAY

_TRY_JSONB = """
CREATE OR REPLACE FUNCTION pg_temp.backcare_try_jsonb(t text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN t::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$
"""


class Dialect:
    def __init__(self, name: str, safe: bool = False) -> None:
        if name not in ("sqlite", "postgresql"):
            raise ValueError(f"insights read SQLite or PostgreSQL stores, not {name}")
        self.name = name
        self.safe = safe or name == "sqlite"

    def prepare(self, connection: Connection) -> None:
        """Set up this connection: no JIT compilation (it costs PostgreSQL a second per report and
        saves nothing on these queries) and, when reading safely, a temporary function (nothing lasting)."""
        if self.name != "postgresql":
            return
        connection.execute(sa.text("SET jit = off"))
        if self.safe:
            connection.execute(sa.text(_TRY_JSONB))

    def document(self, data: ColumnElement) -> ColumnElement:
        """The parsed JSON document of a text column (NULL for invalid JSON when safe)."""
        if self.name == "sqlite":
            return sa.case((sa.func.json_valid(data) == 1, data), else_=sa.null())
        if self.safe:
            return sa.func.pg_temp.backcare_try_jsonb(data, type_=sa.JSON)
        return sa.cast(data, sa.dialects.postgresql.JSON)

    def field(self, document: ColumnElement, *path: str) -> ColumnElement:
        """The text at `path` in a parsed document, NULL when absent."""
        for key in path:
            if not key.replace("_", "").isalnum():
                raise ValueError(f"unexpected JSON key {key!r}")
        if self.name == "sqlite":
            value = sa.func.json_extract(document, "$." + ".".join(path))
            return sa.cast(value, sa.Text)
        return document.op("#>>", return_type=sa.Text)(sa.literal_column("'{" + ",".join(path) + "}'"))

    def day(self, timestamp: ColumnElement) -> ColumnElement:
        """Whole UTC days since 1970-01-01."""
        return self._floor(timestamp / DAY)

    def week(self, timestamp: ColumnElement) -> ColumnElement:
        """Whole weeks (Monday to Sunday, UTC) since Monday 1970-01-05."""
        return self._floor((timestamp - FIRST_MONDAY) / WEEK)

    def _floor(self, value: ColumnElement) -> ColumnElement:
        if self.name == "sqlite":  # CAST truncates towards zero; stored timestamps are positive
            return sa.cast(value, sa.Integer)
        return sa.cast(sa.func.floor(value), sa.Integer)
