"""Cached, read-only access to the fact base for answering.

Answers must not wait on the database every turn: everything is read once,
then re-checked at most every `refresh_seconds` with one tiny query (the
latest content version). If the database goes away, the last good copy keeps
serving; only a cold start without a database is an error.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.core.facts.content import FactText
from bot.core.facts.models import ContentVersion, Fact, Source, fact_sources
from bot.core.facts.store import engine_for
from bot.core.regions import DEFAULT_REGION

log = logging.getLogger(__name__)


class FactBaseUnavailable(RuntimeError):
    """The database cannot be read and nothing is cached yet."""


@dataclass(frozen=True)
class SourceView:
    title: str
    publisher: str
    url: Optional[str]
    kind: Optional[str] = None


@dataclass(frozen=True)
class FactView(FactText):
    """A fact as an answer uses it: its sources spelt out."""

    sources: tuple[SourceView, ...]
    reviewed: Optional[str] = None
    claim: str = "health"
    region: Optional[str] = None


def for_region(facts: tuple[FactView, ...], region: Optional[str]) -> tuple[FactView, ...]:
    """The region's own facts first, then the shared ones; other regions' facts left out."""
    return tuple(f for f in facts if f.region is not None and f.region == region) + tuple(
        f for f in facts if f.region is None
    )


def source_view(source: Any) -> SourceView:
    """A cited source as an answer shows it, from a `SourceRecord` (YAML) or a `Source` row: same field names."""
    return SourceView(title=source.title, publisher=source.publisher, url=source.url, kind=source.kind)


def fact_view(record: Any, *, topic: str, reviewed: Optional[str], sources: Iterable[SourceView]) -> FactView:
    """A fact as answers use it, from a `FactRecord` (YAML) or a `Fact` row.

    The two shapes name the topic and type `reviewed` differently, so the caller
    passes those and the cited sources; every other field has the same name in both.
    """
    return FactView(
        id=record.id,
        topic=topic,
        answer=record.answer,
        detail=record.detail,
        see_professional_when=tuple(record.see_professional_when or ()),
        related=tuple(record.related or ()),
        sources=tuple(sources),
        reviewed=reviewed,
        claim=record.claim or "health",
        region=record.region,
    )


def by_topic(facts: Iterable[FactView]) -> dict[str, tuple[FactView, ...]]:
    """The facts grouped by topic, each group in the order given (both readers give them by id)."""
    grouped: dict[str, list[FactView]] = {}
    for fact in facts:
        grouped.setdefault(fact.topic, []).append(fact)
    return {topic: tuple(group) for topic, group in grouped.items()}


class FactRepository:
    def __init__(self, engine: Engine, refresh_seconds: float = 60.0) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._by_topic: dict[str, tuple[FactView, ...]] = {}
        self._version: Optional[int] = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def facts_for(self, topic: str, region: Optional[str] = DEFAULT_REGION) -> tuple[FactView, ...]:
        """The facts for a topic as the clinic's region sees them: its own facts first, then the shared ones."""
        self._refresh_if_due()
        return for_region(self._by_topic.get(topic, ()), region)

    def warm_up(self) -> None:
        self._refresh_if_due(force=True)

    def _refresh_if_due(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._checked_at < self._refresh_seconds:
            return
        with self._lock:
            if not force and time.monotonic() - self._checked_at < self._refresh_seconds:
                return
            try:
                with Session(self._engine, future=True) as session:
                    version = session.scalar(select(func.max(ContentVersion.id)))
                    if version != self._version or not self._by_topic:
                        self._by_topic = _read_all(session)
                        self._version = version
                self._checked_at = time.monotonic()
            except SQLAlchemyError as exc:
                if not self._by_topic:
                    raise FactBaseUnavailable(str(exc)) from exc
                log.warning("fact base unreachable, serving the cached copy: %s", exc.__class__.__name__)
                self._checked_at = time.monotonic()


def _read_all(session: Session) -> dict[str, tuple[FactView, ...]]:
    sources = {s.id: source_view(s) for s in session.scalars(select(Source))}
    cited: dict[str, list[SourceView]] = {}
    for fact_id, source_id, _ in session.execute(
        select(fact_sources.c.fact_id, fact_sources.c.source_id, fact_sources.c.position).order_by(
            fact_sources.c.fact_id, fact_sources.c.position
        )
    ):
        cited.setdefault(fact_id, []).append(sources[source_id])
    return by_topic(
        fact_view(fact, topic=fact.topic_id, reviewed=fact.reviewed, sources=cited.get(fact.id, ()))
        for fact in session.scalars(select(Fact).order_by(Fact.id))
    )


_default: Optional[FactRepository] = None


def default_repository() -> FactRepository:
    global _default
    if _default is None:
        _default = FactRepository(engine_for())
    return _default
