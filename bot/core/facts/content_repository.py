"""The fact base read straight from content/ YAML, for the few answers a channel gives by itself.

The Telegram channel answers /start and /help without a turn (docs/telegram.md).
Those replies run inside the Rasa server, which otherwise never touches the fact
database (only the action server does), so they read the clinicians' YAML
instead: the same facts, sources and region order as `FactRepository`, no
database connection, read once per process.
"""

from __future__ import annotations

from typing import Optional

from bot.core.config import Settings, or_current
from bot.core.facts.content import Content, read_content
from bot.core.facts.repository import FactView, by_topic, fact_view, for_region, source_view
from bot.core.regions import DEFAULT_REGION


class ContentRepository:
    """What `answers.answer_topic` needs of a repository (`facts_for`), built from `Content`."""

    def __init__(self, content: Content) -> None:
        sources = {s.id: source_view(s) for s in content.sources}
        self._by_topic = by_topic(
            fact_view(
                record,
                topic=record.topic,
                reviewed=None if record.reviewed is None else str(record.reviewed),
                sources=(sources[s] for s in record.sources if s in sources),
            )
            for record in sorted(content.facts, key=lambda r: r.id)
        )

    def facts_for(self, topic: str, region: Optional[str] = DEFAULT_REGION) -> tuple[FactView, ...]:
        return for_region(self._by_topic.get(topic, ()), region)


def content_repository(settings: Optional[Settings] = None) -> ContentRepository:
    """The process's copy of content/facts (a change needs a restart, like the red-flag lexicon)."""
    s = or_current(settings)
    return s.cached(
        "content_repository", lambda: ContentRepository(read_content(s.facts_dir, s.sources_file, s.regions_dir))
    )
