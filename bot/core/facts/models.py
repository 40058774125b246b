"""SQLAlchemy models of the fact base (SQLAlchemy 2.0 style on 1.4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

fact_sources = Table(
    "fact_sources",
    Base.metadata,
    Column("fact_id", String(100), ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(100), ForeignKey("sources.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class ContentVersion(Base):
    """One load of the YAML that changed something; facts point at the load that last wrote them."""

    __tablename__ = "content_versions"
    id = Column(Integer, primary_key=True, autoincrement=True)
    loaded_at = Column(DateTime, nullable=False, default=dt.datetime.utcnow)
    digest = Column(String(64), nullable=False)
    summary = Column(Text, nullable=False, default="")


class Topic(Base):
    __tablename__ = "topics"
    id = Column(String(64), primary_key=True)
    area = Column(String(32), nullable=False)


class Source(Base):
    __tablename__ = "sources"
    id = Column(String(100), primary_key=True)
    title = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    url = Column(Text, nullable=True)
    document = Column(Text, nullable=True)
    digest = Column(String(64), nullable=False)
    kind = Column(String(32), nullable=True)


class Fact(Base):
    __tablename__ = "facts"
    id = Column(String(100), primary_key=True)
    topic_id = Column(String(64), ForeignKey("topics.id"), nullable=False, index=True)
    answer = Column(Text, nullable=False)
    detail = Column(Text, nullable=True)
    see_professional_when = Column(JSON, nullable=False, default=list)
    related = Column(JSON, nullable=False, default=list)
    # The first day of the review month (kept as a date for older readers); `reviewed` is the month itself.
    last_reviewed = Column(Date, nullable=False)
    file = Column(String(255), nullable=False)
    line = Column(Integer, nullable=False)
    digest = Column(String(64), nullable=False)
    version_id = Column(Integer, ForeignKey("content_versions.id"), nullable=False)
    reviewed = Column(String(7), nullable=True)
    claim = Column(String(16), nullable=True)
    region = Column(String(8), nullable=True, index=True)


class FactReview(Base):
    """What each source looked like when a fact citing it was last reviewed.

    Written when a fact is first loaded or its `reviewed` month changes, and
    left alone otherwise, so `bot facts review` can tell that a source changed
    after the fact was checked against it.
    """

    __tablename__ = "fact_reviews"
    fact_id = Column(String(100), ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)
    source_id = Column(String(100), primary_key=True)
    reviewed = Column(String(7), nullable=False)
    source_digest = Column(String(64), nullable=False)
