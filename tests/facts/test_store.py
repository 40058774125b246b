"""Loading the YAML fact base into SQL: idempotent, minimal updates, all or nothing."""

from __future__ import annotations

import re

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.facts.checker import check
from bot.core.facts.content import ContentError, read_content
from bot.core.facts.models import ContentVersion, Fact, fact_sources
from bot.core.facts.repository import FactRepository
from bot.core.facts.store import load


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_loading_twice_changes_nothing(engine, content_copy):
    content = read_content(*content_copy)
    first = load(content, engine)
    assert len(first.added) == len(content.facts) > 0
    versions = _count(engine, ContentVersion)
    second = load(read_content(*content_copy), engine)
    assert not second.changed
    assert second.unchanged == len(content.facts)
    assert second.version is None
    assert _count(engine, ContentVersion) == versions
    assert _count(engine, Fact) == len(content.facts)


def test_editing_one_fact_updates_only_that_fact(engine, content_copy):
    facts_dir, sources = content_copy
    load(read_content(facts_dir, sources), engine)
    path = facts_dir / "session.yml"
    data = yaml.safe_load(path.read_text())
    target = data["facts"][0]
    target["answer"] = "Your therapist asks about your back first. Then the massage begins gently."
    path.write_text(yaml.safe_dump(data, sort_keys=False))

    report = load(read_content(facts_dir, sources), engine)
    assert report.updated == [target["id"]]
    assert not report.added and not report.removed
    with Session(engine) as session:
        row = session.get(Fact, target["id"])
        assert row.answer == target["answer"]
        assert row.version_id == report.version
        others = session.scalars(select(Fact).where(Fact.id != target["id"])).all()
        assert all(other.version_id != report.version for other in others)


def test_removed_fact_is_deleted_with_its_citations(engine, content_copy):
    facts_dir, sources = content_copy
    load(read_content(facts_dir, sources), engine)
    path = facts_dir / "session.yml"
    data = yaml.safe_load(path.read_text())
    gone = data["facts"].pop()
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    report = load(read_content(facts_dir, sources), engine)
    assert report.removed == [gone["id"]]
    with Session(engine) as session:
        assert session.get(Fact, gone["id"]) is None
        left = session.scalar(
            select(func.count()).select_from(fact_sources).where(fact_sources.c.fact_id == gone["id"])
        )
        assert left == 0


def test_source_order_is_kept(engine, content_copy):
    content = read_content(*content_copy)
    load(content, engine)
    repo = FactRepository(engine)
    by_id = {s.id: s for s in content.sources}
    for record in content.facts[:10]:
        [view] = [f for f in repo.facts_for(record.topic) if f.id == record.id]
        assert [s.title for s in view.sources] == [by_id[s].title for s in record.sources]


def test_invalid_yaml_names_file_and_line(content_copy):
    facts_dir, sources = content_copy
    broken = facts_dir / "session.yml"
    lines = broken.read_text().splitlines()
    lines.insert(5, "  - id: [unclosed")
    broken.write_text("\n".join(lines))
    with pytest.raises(ContentError) as error:
        read_content(facts_dir, sources)
    assert re.search(r"session\.yml:\d+: invalid YAML", str(error.value))


def test_a_failing_check_loads_nothing(engine, content_copy, capsys, monkeypatch):
    from bot.core.facts import cli

    facts_dir, sources = content_copy
    path = facts_dir / "session.yml"
    data = yaml.safe_load(path.read_text())
    data["facts"][0]["sources"] = []
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setattr(cli, "read_content", lambda: read_content(facts_dir, sources))
    monkeypatch.setattr(cli, "engine_for", lambda url: engine)
    assert cli.load_facts() == 1
    assert "Nothing was loaded" in capsys.readouterr().err
    from sqlalchemy import inspect

    assert not inspect(engine).has_table("facts") or _count(engine, Fact) == 0


def test_the_real_content_passes_the_checker_and_covers_every_topic():
    report = check(read_content())
    assert report.ok, report.problems
    assert report.coverage and all(n >= 1 for n in report.coverage.values())
