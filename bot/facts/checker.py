"""The fact base's linter: what `bot facts check` enforces before anything is loaded."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

from bot import settings
from bot.facts.content import Content, is_date
from bot.topics import topics

MAX_ANSWER_CHARS = 700
MAX_DETAIL_CHARS = 1500
MIN_SENTENCES, MAX_SENTENCES = 2, 5
MIN_RELATED, MAX_RELATED = 2, 3
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)(?=\s|$)")


def count_sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.strip()))


def is_good_url(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme == "https" and "." in parts.netloc and " " not in url


@dataclass
class Report:
    problems: list[str]
    coverage: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(content: Content) -> Report:
    problems = list(content.problems)
    known_topics = topics()
    sources = {s.id: s for s in content.sources}

    for source_id, count in Counter(s.id for s in content.sources).items():
        if count > 1:
            problems.append(f"source id '{source_id}' is defined {count} times")
    for s in content.sources:
        at = f"{s.file}:{s.line}"
        if not s.title or not s.publisher:
            problems.append(f"{at}: source '{s.id}' needs a title and a publisher")
        if s.url:
            if not is_good_url(s.url):
                problems.append(f"{at}: source '{s.id}' has a malformed URL (https only): {s.url}")
        elif s.document:
            if not (settings.CONTENT_DIR / s.document).is_file():
                problems.append(f"{at}: source '{s.id}' names a document that does not exist: {s.document}")
        else:
            problems.append(f"{at}: source '{s.id}' needs a url (or, for a clinic article, a document)")

    for fact_id, count in Counter(f.id for f in content.facts).items():
        if count > 1:
            problems.append(f"fact id '{fact_id}' is used {count} times")
    for f in content.facts:
        at = f"{f.file}:{f.line}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", f.id):
            problems.append(f"{at}: fact id '{f.id}' must be lowercase letters, digits and hyphens")
        if f.topic not in known_topics:
            problems.append(f"{at}: fact '{f.id}' has an unknown topic '{f.topic}'")
        elif f.topic in known_topics.unsourced:
            problems.append(f"{at}: fact '{f.id}': topic '{f.topic}' is answered by the dialogue, not the fact base")
        n = count_sentences(f.answer)
        if not MIN_SENTENCES <= n <= MAX_SENTENCES:
            problems.append(f"{at}: fact '{f.id}': the answer has {n} sentences ({MIN_SENTENCES} to {MAX_SENTENCES} allowed)")
        if len(f.answer) > MAX_ANSWER_CHARS:
            problems.append(f"{at}: fact '{f.id}': the answer has {len(f.answer)} characters (at most {MAX_ANSWER_CHARS})")
        if f.detail and len(f.detail) > MAX_DETAIL_CHARS:
            problems.append(f"{at}: fact '{f.id}': the detail has {len(f.detail)} characters (at most {MAX_DETAIL_CHARS})")
        if not MIN_RELATED <= len(f.related) <= MAX_RELATED:
            problems.append(f"{at}: fact '{f.id}' needs {MIN_RELATED} to {MAX_RELATED} related topics, has {len(f.related)}")
        for related in f.related:
            if related not in known_topics or related in known_topics.unsourced:
                problems.append(f"{at}: fact '{f.id}': related topic '{related}' is not a fact-base topic")
            elif related == f.topic:
                problems.append(f"{at}: fact '{f.id}': related topic '{related}' is the fact's own topic")
        if not f.sources:
            problems.append(f"{at}: fact '{f.id}' cites no source")
        missing = [s for s in f.sources if s not in sources]
        for source_id in missing:
            problems.append(f"{at}: fact '{f.id}' cites an unknown source '{source_id}'")
        if f.sources and not missing and not any(sources[s].url for s in f.sources):
            problems.append(f"{at}: fact '{f.id}' needs at least one source with a URL")
        if not is_date(f.last_reviewed):
            problems.append(f"{at}: fact '{f.id}': last_reviewed must be a date (YYYY-MM-DD)")

    coverage = {t: 0 for t in known_topics.sourced}
    for f in content.facts:
        if f.topic in coverage:
            coverage[f.topic] += 1
    for topic, count in coverage.items():
        if count == 0:
            problems.append(f"topic '{topic}' has no fact")
    return Report(problems=problems, coverage=coverage)
