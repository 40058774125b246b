"""The rules issue 17 added: source kinds, clinic articles only for clinic claims, complete region packs,
review months, and `bot facts review`."""

from __future__ import annotations

import datetime as dt

import yaml
from sqlalchemy import create_engine

from bot.core.facts.checker import check
from bot.core.facts.content import read_content
from bot.core.facts.review import due_for_review
from bot.core.facts.store import load


def _edit_fact(facts_dir, fact_id, **changes):
    for path in sorted(facts_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        for fact in data.get("facts") or ():
            if fact["id"] == fact_id:
                fact.update(changes)
                path.write_text(yaml.safe_dump(data, sort_keys=False))
                return path.name
    raise AssertionError(f"no fact {fact_id}")


def _clinic_articles(content):
    return [s.id for s in content.sources if s.kind == "clinic_article"]


def test_the_shipped_content_passes(content_copy, regions_copy):
    assert check(read_content(*content_copy, regions_copy)).problems == []


def test_a_health_claim_backed_only_by_a_clinic_article_fails_with_file_and_line(content_copy, regions_copy):
    article = _clinic_articles(read_content(*content_copy, regions_copy))[0]
    name = _edit_fact(content_copy[0], "benefit-stress", sources=[article])
    problems = check(read_content(*content_copy, regions_copy)).problems
    assert any("benefit-stress" in p and "backed only by clinic articles" in p and f"{name}:" in p for p in problems), (
        problems
    )


def test_a_health_claim_may_not_cite_a_clinic_article_even_beside_real_sources(content_copy, regions_copy):
    article = _clinic_articles(read_content(*content_copy, regions_copy))[0]
    _edit_fact(content_copy[0], "benefit-stress", sources=["mayo-massage", article])
    problems = check(read_content(*content_copy, regions_copy)).problems
    assert any("benefit-stress" in p and f"cites clinic article '{article}'" in p for p in problems)


def test_a_clinic_claim_may_cite_a_clinic_article(content_copy, regions_copy):
    article = _clinic_articles(read_content(*content_copy, regions_copy))[0]
    _edit_fact(content_copy[0], "practical-booking", sources=["mayo-massage", article], claim="clinic")
    assert check(read_content(*content_copy, regions_copy)).problems == []


def test_an_unknown_claim_or_source_kind_fails(content_copy, regions_copy):
    _edit_fact(content_copy[0], "practical-booking", claim="marketing")
    sources = yaml.safe_load(content_copy[1].read_text())
    sources["sources"][0]["kind"] = "blog"
    content_copy[1].write_text(yaml.safe_dump(sources, sort_keys=False))
    problems = check(read_content(*content_copy, regions_copy)).problems
    assert any("practical-booking" in p and "claim must be one of" in p for p in problems)
    assert any(sources["sources"][0]["id"] in p and "needs a kind" in p and "sources.yml:" in p for p in problems)


def test_a_region_pack_missing_a_topic_fails(content_copy, regions_copy):
    path = regions_copy / "us.yml"
    data = yaml.safe_load(path.read_text())
    data["facts"] = [f for f in data["facts"] if f["topic"] != "practical.cost_insurance"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(read_content(*content_copy, regions_copy)).problems
    assert any("us.yml:" in p and "region 'us'" in p and "practical.cost_insurance" in p for p in problems), problems
    assert not any("region 'uk'" in p for p in problems)


def test_a_region_pack_without_sourced_numbers_fails(content_copy, regions_copy):
    path = regions_copy / "au.yml"
    data = yaml.safe_load(path.read_text())
    data["region"]["emergency"]["sources"] = []
    data["region"]["crisis_lines"][0]["sources"] = ["no-such-source"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(read_content(*content_copy, regions_copy)).problems
    assert any("region 'au'" in p and "emergency number cites no source" in p for p in problems)
    assert any("region 'au'" in p and "unknown source 'no-such-source'" in p for p in problems)


def test_reviewed_must_be_a_past_month(content_copy, regions_copy):
    _edit_fact(content_copy[0], "benefit-sleep", reviewed="2026-11-25")
    _edit_fact(content_copy[0], "benefit-mood", reviewed="2099-01")
    problems = check(read_content(*content_copy, regions_copy), today=dt.date(2026, 11, 29)).problems
    assert any("benefit-sleep" in p and "YYYY-MM" in p for p in problems)
    assert any("benefit-mood" in p and "in the future" in p for p in problems)


def test_review_lists_old_facts_and_facts_whose_source_changed(content_copy, regions_copy, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'facts.db'}", future=True)
    load(read_content(*content_copy, regions_copy), engine)
    today = dt.date(2026, 11, 29)
    assert due_for_review(read_content(*content_copy, regions_copy), engine, today) == []

    _edit_fact(content_copy[0], "benefit-mood", reviewed="2025-10")
    sources = yaml.safe_load(content_copy[1].read_text())
    nice = next(s for s in sources["sources"] if s["id"] == "nice-ng59")
    nice["title"] += " (updated 2026)"
    content_copy[1].write_text(yaml.safe_dump(sources, sort_keys=False))
    content = read_content(*content_copy, regions_copy)
    load(content, engine)  # the new source is stored; the facts' reviews still remember the old one
    due = due_for_review(content, engine, today)
    assert any(d.fact_id == "benefit-mood" and "over 12 months" in d.reason for d in due)
    citing = {f.id for f in content.facts if "nice-ng59" in f.sources}
    changed = {d.fact_id for d in due if "source 'nice-ng59' changed" in d.reason}
    assert citing and changed == citing - {"benefit-mood"}

    # Re-reviewing a fact (a new month) clears it.
    fact_id = sorted(citing)[0]
    _edit_fact(content_copy[0], fact_id, reviewed="2026-10")
    content = read_content(*content_copy, regions_copy)
    load(content, engine)
    assert fact_id not in {d.fact_id for d in due_for_review(content, engine, today)}
