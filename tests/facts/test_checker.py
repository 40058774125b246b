"""The linter catches each kind of content mistake and says where it is."""

from __future__ import annotations

import yaml

from bot.core.facts.checker import check, count_sentences, is_good_url
from bot.core.facts.content import read_content


def _edit_first_fact(facts_dir, **changes):
    path = facts_dir / "session.yml"
    data = yaml.safe_load(path.read_text())
    data["facts"][0].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return data["facts"][0]["id"]


def _problems(content_copy):
    return check(read_content(*content_copy)).problems


def test_unknown_topic_is_reported_with_its_line(content_copy):
    fact_id = _edit_first_fact(content_copy[0], topic="session.nonsense")
    problems = _problems(content_copy)
    assert any("session.yml:" in p and fact_id in p and "unknown topic" in p for p in problems)


def test_missing_and_unknown_sources(content_copy):
    _edit_first_fact(content_copy[0], sources=["no-such-source"])
    assert any("unknown source 'no-such-source'" in p for p in _problems(content_copy))


def test_related_topics_must_exist(content_copy):
    _edit_first_fact(content_copy[0], related=["type.swedish", "type.nope"])
    assert any("related topic 'type.nope'" in p for p in _problems(content_copy))


def test_answer_length_limits(content_copy):
    _edit_first_fact(content_copy[0], answer="Too short.")
    assert any("1 sentences" in p for p in _problems(content_copy))


def test_reviewed_must_be_a_month(content_copy):
    fact_id = _edit_first_fact(content_copy[0], reviewed="last tuesday")
    assert any(fact_id in p and "reviewed must be" in p and "YYYY-MM" in p for p in _problems(content_copy))


def test_a_leftover_last_reviewed_is_reported(content_copy):
    fact_id = _edit_first_fact(content_copy[0], last_reviewed="2026-11-25")
    assert any(fact_id in p and "'last_reviewed' is now" in p for p in _problems(content_copy))


def test_coverage_gap_is_reported(content_copy):
    path = content_copy[0] / "practical.yml"
    data = yaml.safe_load(path.read_text())
    data["facts"] = [f for f in data["facts"] if f["topic"] != "practical.booking"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert "topic 'practical.booking' has no fact" in _problems(content_copy)


def test_malformed_source_url(content_copy):
    path = content_copy[1]
    data = yaml.safe_load(path.read_text())
    with_url = next(s for s in data["sources"] if s.get("url"))
    with_url["url"] = "http//nhs uk"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert any("malformed URL" in p and with_url["id"] in p and "sources.yml:" in p for p in _problems(content_copy))


def test_helpers():
    assert count_sentences("One. Two? Three!") == 3
    assert count_sentences("Dr. Smith said so.") >= 1
    assert is_good_url("https://www.nice.org.uk/guidance/ng59")
    assert not is_good_url("http://www.nice.org.uk/guidance/ng59")
    assert not is_good_url("https://nowhere")
