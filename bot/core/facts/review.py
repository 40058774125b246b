"""Which facts are due for another review: `bot facts review`.

A fact is due when its `reviewed` month is more than 12 months ago, or when a
source it cites has changed (title, URL, publisher, kind, or a clinic
article's text) since the fact was last reviewed. The second needs memory:
each load stores, per fact and source, the source's hash as it was at the
fact's review (bot.core.facts.store), and this compares it with the YAML now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.core.facts.content import Content
from bot.core.facts.models import FactReview
from bot.core.facts.store import create_schema

MAX_AGE_MONTHS = 12


@dataclass(frozen=True)
class Due:
    fact_id: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.fact_id}: {self.reason}"


def months_between(earlier: tuple[int, int], later: tuple[int, int]) -> int:
    return (later[0] - earlier[0]) * 12 + (later[1] - earlier[1])


def due_for_review(content: Content, engine: Engine, today: dt.date | None = None) -> list[Due]:
    """Facts older than 12 months, and facts whose sources changed since their review."""
    today = today or dt.date.today()
    now = (today.year, today.month)
    create_schema(engine)
    with Session(engine, future=True) as session:
        recorded: dict[tuple[str, str], FactReview] = {
            (r.fact_id, r.source_id): r for r in session.scalars(select(FactReview))
        }
    digests = {s.id: s.digest() for s in content.sources}
    due: list[Due] = []
    for fact in content.facts:
        where = f"{fact.file}:{fact.line}"
        month = fact.reviewed_month
        if month is None:
            due.append(Due(fact.id, where, f"no valid review month ({fact.reviewed!r})"))
        elif months_between(month, now) > MAX_AGE_MONTHS:
            due.append(Due(fact.id, where, f"last reviewed {fact.reviewed}, over {MAX_AGE_MONTHS} months ago"))
        for source_id in fact.sources:
            seen = recorded.get((fact.id, source_id))
            if seen is None or source_id not in digests:
                continue
            if seen.reviewed == str(fact.reviewed) and seen.source_digest != digests[source_id]:
                due.append(Due(fact.id, where, f"source '{source_id}' changed since the review of {fact.reviewed}"))
    return due
