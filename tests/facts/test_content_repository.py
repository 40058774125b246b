"""The fact base read from YAML (what Telegram's /start and /help use) answers exactly as the database does."""

from __future__ import annotations

from sqlalchemy import create_engine

from bot.core.answers import answer_topic
from bot.core.facts.content import read_content
from bot.core.facts.content_repository import ContentRepository
from bot.core.facts.repository import FactRepository
from bot.core.facts.store import load


def test_every_topic_and_region_reads_the_same_from_yaml_as_from_the_loaded_database(tmp_path):
    content = read_content()
    engine = create_engine(f"sqlite:///{tmp_path / 'facts.db'}", future=True)
    load(content, engine)
    database, yaml_only = FactRepository(engine), ContentRepository(content)
    regions = {None, *(r.code for r in content.regions)}
    for topic in sorted({f.topic for f in content.facts}):
        for region in regions:
            assert yaml_only.facts_for(topic, region) == database.facts_for(topic, region), (topic, region)
    assert answer_topic("about.assistant", repository=yaml_only) == answer_topic("about.assistant", repository=database)
    engine.dispose()
