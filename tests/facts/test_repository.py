"""Answering from the cache: no query per turn, and graceful when the database goes away."""

from __future__ import annotations

from sqlalchemy import create_engine, event

from bot.core.answers import UNREACHABLE, answer_intent, answer_topic
from bot.core.clinic import Clinic
from bot.core.facts.content import read_content
from bot.core.facts.repository import FactRepository
from bot.core.facts.store import load


def _count_queries(engine) -> list[str]:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def test_no_query_per_turn_after_warm_up(engine, content_copy):
    load(read_content(*content_copy), engine)
    repo = FactRepository(engine, refresh_seconds=3600)
    repo.warm_up()
    statements = _count_queries(engine)
    for _ in range(50):
        assert repo.facts_for("condition.sciatica")
    assert statements == []


def test_new_content_is_picked_up_after_the_refresh_interval(engine, content_copy):
    import yaml

    facts_dir, sources = content_copy
    load(read_content(facts_dir, sources), engine)
    repo = FactRepository(engine, refresh_seconds=0)
    before = repo.facts_for("session.duration")[0].answer
    path = facts_dir / "session.yml"
    data = yaml.safe_load(path.read_text())
    fact = next(f for f in data["facts"] if f["topic"] == "session.duration")
    fact["answer"] = "Sessions differ in length. Ask your therapist what suits you."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    load(read_content(facts_dir, sources), engine)
    after = repo.facts_for("session.duration")[0].answer
    assert after != before and after == fact["answer"]


def test_warm_cache_keeps_serving_when_the_database_goes_away(tmp_path, content_copy):
    db = tmp_path / "facts.db"
    engine = create_engine(f"sqlite:///{db}", future=True)
    load(read_content(*content_copy), engine)
    repo = FactRepository(engine, refresh_seconds=0)
    repo.warm_up()
    engine.dispose()
    db.unlink()
    db.mkdir()  # the path now cannot be opened as a database
    assert repo.facts_for("condition.sciatica")


def test_cold_start_without_database_answers_politely():
    engine = create_engine("postgresql://postgres@127.0.0.1:1/nowhere", future=True)
    repo = FactRepository(engine)
    clinic = Clinic(phone="01234 567890")
    reply = answer_topic("condition.sciatica", repository=repo, c=clinic)
    assert UNREACHABLE in reply.text
    assert "01234 567890" in reply.text
    assert reply.custom["topic"] == "condition.sciatica"
    assert reply.custom["disclaimer"] is True


def test_answer_carries_envelope_buttons_and_professional_note(engine, content_copy):
    load(read_content(*content_copy), engine)
    repo = FactRepository(engine)
    reply = answer_intent("ask_condition", {"condition": ["sciatica"]}, triage="professional", repository=repo)
    assert reply.custom["topic"] == "condition.sciatica"
    assert reply.custom["triage"] == "professional"
    assert reply.custom["sources"] and all(s["title"] for s in reply.custom["sources"])
    assert "GP or physiotherapist" in reply.text
    assert 2 <= len(reply.buttons) <= 3
    plain = answer_intent("ask_massage_type", {}, repository=repo)
    assert plain.custom["topic"] == "type.overview"
    assert plain.custom["triage"] == "none"


def test_practical_answers_use_only_configured_clinic_details(engine, content_copy):
    load(read_content(*content_copy), engine)
    repo = FactRepository(engine)
    unset = answer_topic("practical.clinic_info", repository=repo, c=Clinic())
    assert "not been set up" in unset.text
    configured = answer_topic(
        "practical.booking", repository=repo, c=Clinic(name="Spine & Ease", booking_url="https://example.org/book")
    )
    assert "https://example.org/book" in configured.text
