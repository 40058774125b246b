"""Writing the checked YAML content into the database, idempotently and all at once.

A load either writes everything or nothing (one transaction), and touches only
what changed, so re-running it is harmless and the content version history
shows which load last changed each fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import create_engine, delete, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.core import settings
from bot.core.facts.content import Content, FactRecord
from bot.core.facts.models import Base, ContentVersion, Fact, FactReview, Source, Topic, fact_sources
from bot.core.topics import topics

# Columns added after the first release; a database created before them gets them on the next load.
_ADDED_COLUMNS = {
    "sources": {"kind": "VARCHAR(32)"},
    "facts": {"reviewed": "VARCHAR(7)", "claim": "VARCHAR(16)", "region": "VARCHAR(8)"},
}


@lru_cache(maxsize=4)
def engine_for(url: str | None = None) -> Engine:
    url = url or settings.db_url()
    if url.startswith("sqlite:///"):
        settings.STATE_DIR.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    """Bring a fact base created by an older version up to date (nullable columns only, so this is safe)."""
    inspector = inspect(engine)
    with engine.begin() as conn:
        for table, columns in _ADDED_COLUMNS.items():
            present = {c["name"] for c in inspector.get_columns(table)}
            for name, sql_type in columns.items():
                if name not in present:
                    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}"))


def _first_day(record: FactRecord) -> dt.date:
    year, month = record.reviewed_month or (1970, 1)
    return dt.date(year, month, 1)


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged"
        )


def load(content: Content, engine: Engine) -> LoadReport:
    """Bring the database in line with `content` (which must already pass the checker)."""
    create_schema(engine)
    report = LoadReport()
    with Session(engine, future=True) as session, session.begin():
        _sync_topics(session)
        version = ContentVersion(digest=content.digest(), summary="")
        session.add(version)
        session.flush()

        existing_sources = {s.id: s for s in session.scalars(select(Source))}
        sources_changed = _sync_sources(session, content, existing_sources)
        _sync_facts(session, content, version, report)

        removed_sources = set(existing_sources) - {s.id for s in content.sources}
        for source_id in removed_sources:
            session.delete(existing_sources[source_id])

        if report.changed or removed_sources or sources_changed:
            version.summary = report.summary()
            report.version = version.id
        else:
            session.delete(version)
    return report


def _sync_sources(session: Session, content: Content, existing: dict[str, Source]) -> bool:
    """Add new sources and rewrite changed ones (before the facts, which cite them); True if any changed.

    Removing sources waits until the facts no longer cite them."""
    changed = False
    for record in content.sources:
        row = existing.get(record.id)
        if row is None:
            session.add(
                Source(
                    id=record.id,
                    title=record.title,
                    publisher=record.publisher,
                    url=record.url,
                    document=record.document,
                    digest=record.digest(),
                    kind=record.kind,
                )
            )
        elif row.digest != record.digest() or row.kind != record.kind:
            row.title, row.publisher, row.kind = record.title, record.publisher, record.kind
            row.url, row.document, row.digest = record.url, record.document, record.digest()
            changed = True
    session.flush()
    return changed


def _sync_facts(session: Session, content: Content, version: ContentVersion, report: LoadReport) -> None:
    """Remove, add and rewrite facts by digest, so an unchanged fact keeps the version that last changed it."""
    source_digests = {r.id: r.digest() for r in content.sources}
    existing = {f.id: f for f in session.scalars(select(Fact))}
    wanted = {f.id: f for f in content.facts}
    for fact_id in sorted(set(existing) - set(wanted)):
        session.execute(delete(fact_sources).where(fact_sources.c.fact_id == fact_id))
        session.execute(delete(FactReview).where(FactReview.fact_id == fact_id))
        session.delete(existing[fact_id])
        report.removed.append(fact_id)
    reviews: dict[str, dict[str, FactReview]] = {}
    for review in session.scalars(select(FactReview)):
        reviews.setdefault(review.fact_id, {})[review.source_id] = review
    for record in content.facts:
        row = existing.get(record.id)
        digest = record.digest()
        if row is not None and row.digest == digest:
            if (row.file, row.line) != (record.file, record.line):
                row.file, row.line = record.file, record.line
            _record_review(session, record, reviews.get(record.id, {}), source_digests)
            report.unchanged += 1
            continue
        if row is None:
            row = Fact(id=record.id)
            session.add(row)
            report.added.append(record.id)
        else:
            report.updated.append(record.id)
            session.execute(delete(fact_sources).where(fact_sources.c.fact_id == record.id))
        _write_fact(session, row, record, digest, version)
        _record_review(session, record, reviews.get(record.id, {}), source_digests)
        if record.sources:
            session.execute(
                insert(fact_sources),
                [{"fact_id": record.id, "source_id": s, "position": i} for i, s in enumerate(record.sources)],
            )


def _write_fact(session: Session, row: Fact, record: FactRecord, digest: str, version: ContentVersion) -> None:
    """Copy a new or changed fact into its row and stamp it with this load's version."""
    row.topic_id = record.topic
    row.answer, row.detail = record.answer, record.detail
    row.see_professional_when = list(record.see_professional_when)
    row.related = list(record.related)
    row.reviewed, row.last_reviewed = str(record.reviewed), _first_day(record)
    row.claim, row.region = record.claim, record.region
    row.file, row.line, row.digest = record.file, record.line, digest
    row.version_id = version.id
    session.flush()


def _record_review(
    session: Session, record: FactRecord, recorded: dict[str, FactReview], source_digests: dict[str, str]
) -> None:
    """Remember each cited source as it was at the fact's review; keep the old record until the next review."""
    reviewed = str(record.reviewed)
    for source_id, old in recorded.items():
        if source_id not in record.sources:
            session.delete(old)
    for source_id in record.sources:
        old = recorded.get(source_id)
        current = source_digests.get(source_id)
        if current is None:
            continue
        if old is None:
            session.add(FactReview(fact_id=record.id, source_id=source_id, reviewed=reviewed, source_digest=current))
        elif old.reviewed != reviewed:
            old.reviewed, old.source_digest = reviewed, current


def _sync_topics(session: Session) -> None:
    known = topics()
    existing = set(session.scalars(select(Topic.id)))
    for area, ids in known.by_area.items():
        for topic_id in ids:
            if topic_id not in existing:
                session.add(Topic(id=topic_id, area=area))
    session.flush()
