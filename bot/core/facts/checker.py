"""The fact base's linter: what `bot facts check` enforces before anything is loaded."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

from bot.core import settings
from bot.core.facts.content import CLAIM_KINDS, SOURCE_KINDS, Content, FactRecord, SourceRecord
from bot.core.regions import DEFAULT_REGION, RegionError, region_from_mapping
from bot.core.topics import Topics, topics

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


def check(content: Content, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    problems = list(content.problems)
    known_topics = topics()
    sources = {s.id: s for s in content.sources}
    problems.extend(_source_problems(content))
    for fact_id, count in Counter(f.id for f in content.facts).items():
        if count > 1:
            problems.append(f"fact id '{fact_id}' is used {count} times")
    for f in content.facts:
        problems.extend(_fact_problems(f, sources, known_topics, today))
    problems.extend(_region_problems(content, sources, known_topics.sourced))
    coverage = {t: 0 for t in known_topics.sourced}
    for f in content.facts:
        if f.topic in coverage:
            coverage[f.topic] += 1
    if not content.regions:
        for topic, count in coverage.items():
            if count == 0:
                problems.append(f"topic '{topic}' has no fact")
    return Report(problems=problems, coverage=coverage)


def _source_problems(content: Content) -> list[str]:
    """Every source is unique and can be followed: a well-formed https URL, or a clinic document that exists."""
    problems = [
        f"source id '{source_id}' is defined {count} times"
        for source_id, count in Counter(s.id for s in content.sources).items()
        if count > 1
    ]
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
        if s.kind not in SOURCE_KINDS:
            problems.append(
                f"{at}: source '{s.id}' needs a kind, one of {', '.join(SOURCE_KINDS)}"
                + (f" (not '{s.kind}')" if s.kind else "")
            )
        elif s.document and s.kind != "clinic_article":
            problems.append(f"{at}: source '{s.id}' is a clinic document, so its kind must be clinic_article")
    return problems


def _fact_problems(f: FactRecord, sources: dict[str, SourceRecord], known_topics: Topics, today: dt.date) -> list[str]:
    """One fact as a reader meets it: a known topic, a short answer, related topics to go on to, and a review date."""
    at = f"{f.file}:{f.line}"
    problems = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", f.id):
        problems.append(f"{at}: fact id '{f.id}' must be lowercase letters, digits and hyphens")
    if f.topic not in known_topics:
        problems.append(f"{at}: fact '{f.id}' has an unknown topic '{f.topic}'")
    elif f.topic in known_topics.unsourced:
        problems.append(f"{at}: fact '{f.id}': topic '{f.topic}' is answered by the dialogue, not the fact base")
    n = count_sentences(f.answer)
    if not MIN_SENTENCES <= n <= MAX_SENTENCES:
        problems.append(
            f"{at}: fact '{f.id}': the answer has {n} sentences ({MIN_SENTENCES} to {MAX_SENTENCES} allowed)"
        )
    if len(f.answer) > MAX_ANSWER_CHARS:
        problems.append(f"{at}: fact '{f.id}': the answer has {len(f.answer)} characters (at most {MAX_ANSWER_CHARS})")
    if f.detail and len(f.detail) > MAX_DETAIL_CHARS:
        problems.append(f"{at}: fact '{f.id}': the detail has {len(f.detail)} characters (at most {MAX_DETAIL_CHARS})")
    problems.extend(_related_problems(f, known_topics, at))
    problems.extend(_citation_problems(f, sources, at))
    month = f.reviewed_month
    if month is None:
        problems.append(f"{at}: fact '{f.id}': reviewed must be the month of the last review, YYYY-MM")
    elif month > (today.year, today.month):
        problems.append(f"{at}: fact '{f.id}': reviewed {f.reviewed} is in the future")
    return problems


def _related_problems(f: FactRecord, known_topics: Topics, at: str) -> list[str]:
    """The related topics become the reply's buttons, so each must lead to another fact-base answer."""
    problems = []
    if not MIN_RELATED <= len(f.related) <= MAX_RELATED:
        problems.append(
            f"{at}: fact '{f.id}' needs {MIN_RELATED} to {MAX_RELATED} related topics, has {len(f.related)}"
        )
    for related in f.related:
        if related not in known_topics or related in known_topics.unsourced:
            problems.append(f"{at}: fact '{f.id}': related topic '{related}' is not a fact-base topic")
        elif related == f.topic:
            problems.append(f"{at}: fact '{f.id}': related topic '{related}' is the fact's own topic")
    return problems


def _citation_problems(f: FactRecord, sources: dict[str, SourceRecord], at: str) -> list[str]:
    """Every fact cites known sources, at least one a reader can open, and of a kind fit for its claim."""
    problems = []
    if not f.sources:
        problems.append(f"{at}: fact '{f.id}' cites no source")
    missing = [s for s in f.sources if s not in sources]
    for source_id in missing:
        problems.append(f"{at}: fact '{f.id}' cites an unknown source '{source_id}'")
    if f.sources and not missing and not any(sources[s].url for s in f.sources):
        problems.append(f"{at}: fact '{f.id}' needs at least one source with a URL")
    problems.extend(_claim_problems(f, sources, at))
    return problems


def _claim_problems(f, sources: dict, at: str) -> list[str]:
    """A clinic article may back what the clinic offers (`claim: clinic`), never a health claim."""
    if f.claim not in CLAIM_KINDS:
        return [f"{at}: fact '{f.id}': claim must be one of {', '.join(CLAIM_KINDS)}, not '{f.claim}'"]
    if f.claim != "health":
        return []
    cited = [sources[s] for s in f.sources if s in sources]
    clinic = [s.id for s in cited if s.kind == "clinic_article"]
    if cited and len(clinic) == len(cited):
        return [
            f"{at}: fact '{f.id}' makes a health claim backed only by clinic articles "
            f"({', '.join(clinic)}); cite a guideline, review, health service or professional body"
        ]
    return [
        f"{at}: fact '{f.id}' makes a health claim but cites clinic article '{c}'; clinic articles "
        "may back only what the clinic offers (claim: clinic)"
        for c in clinic
    ]


def _region_problems(content: Content, sources: dict, sourced: tuple[str, ...]) -> list[str]:
    """Every pack is complete and sourced, and with the shared facts covers every fact-base topic."""
    problems: list[str] = []
    codes = [r.code for r in content.regions]
    if content.regions and DEFAULT_REGION not in codes:
        problems.append(f"there is no region pack for the default region '{DEFAULT_REGION}'")
    for code, count in Counter(codes).items():
        if count > 1:
            problems.append(f"region '{code}' is defined {count} times")
    shared = {f.topic for f in content.facts if f.region is None}
    anywhere = {f.topic for f in content.facts}
    for topic in sourced:
        if content.regions and topic not in anywhere:
            problems.append(f"topic '{topic}' has no fact")
    for r in content.regions:
        at = f"{r.file}:{r.line}"
        if r.file.rsplit("/", 1)[-1] != f"{r.code}.yml":
            problems.append(f"{at}: region pack '{r.code}' must be in a file named {r.code}.yml")
        try:
            pack = region_from_mapping(r.details)
        except RegionError as exc:
            problems.append(f"{at}: {exc}")
            continue
        named = [("emergency number", pack.emergency_sources), ("urgent-care service", pack.urgent_care_sources)]
        named += [(f"crisis line '{line.name or line.says}'", line.sources) for line in pack.crisis_lines]
        for what, cited in named:
            if not cited:
                problems.append(f"{at}: region '{r.code}': the {what} cites no source")
            for source_id in cited:
                if source_id not in sources:
                    problems.append(f"{at}: region '{r.code}': the {what} cites an unknown source '{source_id}'")
            if cited and not any(sources[s].url for s in cited if s in sources):
                problems.append(f"{at}: region '{r.code}': the {what} needs a source with a URL")
        own = {f.topic for f in content.facts if f.region == r.code}
        for topic in sourced:
            if topic in anywhere and topic not in shared and topic not in own:
                problems.append(
                    f"{at}: region '{r.code}' has no fact for topic '{topic}' "
                    "(add one to this pack, or a shared one under content/facts/)"
                )
    known = set(codes)
    for f in content.facts:
        if f.region is not None and f.region not in known:
            problems.append(f"{f.file}:{f.line}: fact '{f.id}' belongs to an unknown region '{f.region}'")
    return problems
