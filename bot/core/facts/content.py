"""Reading the fact base's YAML files, keeping the file and line of every fact.

Clinicians edit these files by hand, so every problem is reported with the
place to fix it, and nothing is loaded from a file that does not parse.

Facts shared by every country live in `content/facts/*.yml`; a fact that
differs by country lives in that country's region pack,
`content/regions/<code>.yml`, which also holds the pack's own sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.core import settings


class ContentError(ValueError):
    """A content file that cannot be read; the message names file and line."""


# What kind of source each entry is; users see the label next to the title.
SOURCE_KINDS: dict[str, str] = {
    "guideline": "Clinical guideline",
    "systematic_review": "Systematic review",
    "study": "Research study",
    "health_service": "Health service",
    "professional_body": "Professional body or regulator",
    "government": "Government",
    "charity": "Health charity",
    "clinic_article": "Clinic article",
}
# What a fact claims: `health` (anything about the body, symptoms, safety,
# treatment or evidence) or `clinic` (what the clinic offers and how using it
# works: booking, paying, its details). Only clinic claims may rest on the
# clinic's own articles.
CLAIM_KINDS = ("health", "clinic")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class SourceRecord:
    id: str
    title: str
    publisher: str
    url: Optional[str]
    document: Optional[str]
    file: str
    line: int
    kind: str = ""
    supports: Optional[str] = None

    def digest(self) -> str:
        """A hash of what the source is; a change means facts citing it need another look.

        A clinic article's text is part of it, so an edited article counts as a
        changed source even if its title stays the same.
        """
        data = {
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "document": self.document,
            "kind": self.kind,
        }
        if self.document:
            path = settings.CONTENT_DIR / self.document
            data["document_text"] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        return _digest(data)


@dataclass(frozen=True)
class FactText:
    """What a fact says, in every form it takes: the YAML record here, the answer's view (repository.FactView)."""

    id: str
    topic: str
    answer: str
    detail: Optional[str]
    see_professional_when: tuple[str, ...]
    related: tuple[str, ...]


@dataclass(frozen=True)
class FactRecord(FactText):
    """A fact as content/facts/*.yml states it: its sources by id, and where it stands (file, line)."""

    sources: tuple[str, ...]
    reviewed: Any
    file: str
    line: int
    claim: str = "health"
    region: Optional[str] = None

    def digest(self) -> str:
        data = asdict(self)
        data.pop("file")
        data.pop("line")
        data["reviewed"] = str(self.reviewed)
        return _digest(data)

    @property
    def reviewed_month(self) -> Optional[tuple[int, int]]:
        """(year, month) of the last review, or None when `reviewed` is not YYYY-MM."""
        return review_month(self.reviewed)


@dataclass(frozen=True)
class RegionRecord:
    """A region pack's own details (its facts are ordinary facts with `region` set)."""

    code: str
    name: str
    details: dict
    file: str
    line: int


@dataclass
class Content:
    facts: list[FactRecord] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
    regions: list[RegionRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def digest(self) -> str:
        return _digest(sorted(f.digest() for f in self.facts) + sorted(s.digest() for s in self.sources))


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _parse(path: Path) -> tuple[Any, Any]:
    """The data and the node tree of one YAML file (the nodes carry line numbers)."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ContentError(f"{path}:{line}: invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: invalid YAML: {exc}") from exc


def _item_lines(root: Any, key: str) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value).strip()


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(settings.ROOT))
    except ValueError:
        return str(path)


def read_sources(path: Path, content: Content, required: bool = True) -> None:
    data, root = _parse(path)
    _add_sources(data, root, _display(path), content, required)


def _add_sources(data: Any, root: Any, where: str, content: Content, required: bool = True) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        if required or (isinstance(data, dict) and "sources" in data):
            content.problems.append(f"{where}:1: expected a list under 'sources'")
        return
    for item, line in zip(data["sources"], _item_lines(root, "sources")):
        if not isinstance(item, dict) or not item.get("id"):
            content.problems.append(f"{where}:{line}: a source needs an 'id'")
            continue
        content.sources.append(
            SourceRecord(
                id=str(item["id"]),
                title=_text(item.get("title")) or "",
                publisher=_text(item.get("publisher")) or "",
                url=_text(item.get("url")),
                document=_text(item.get("document")),
                file=where,
                line=line,
                kind=_text(item.get("kind")) or "",
                supports=_text(item.get("supports")),
            )
        )


def read_facts(path: Path, content: Content) -> None:
    data, root = _parse(path)
    _add_facts(data, root, _display(path), content, region=None)


def _add_facts(data: Any, root: Any, where: str, content: Content, region: Optional[str]) -> None:
    if isinstance(data, dict) and "facts" in data and data["facts"] is None:
        return  # a file whose facts all moved elsewhere (for example into region packs)
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        content.problems.append(f"{where}:1: expected a list under 'facts'")
        return
    for item, line in zip(data["facts"], _item_lines(root, "facts")):
        if not isinstance(item, dict):
            content.problems.append(f"{where}:{line}: a fact must be a mapping")
            continue
        content.facts.append(
            FactRecord(
                id=str(item.get("id") or ""),
                topic=str(item.get("topic") or ""),
                answer=_text(item.get("answer")) or "",
                detail=_text(item.get("detail")),
                see_professional_when=tuple(str(x).strip() for x in item.get("see_professional_when") or ()),
                related=tuple(str(x) for x in item.get("related") or ()),
                sources=tuple(str(x) for x in item.get("sources") or ()),
                reviewed=item.get("reviewed"),
                file=where,
                line=line,
                claim=str(item.get("claim") or "health"),
                region=region,
            )
        )
        if "last_reviewed" in item:
            content.problems.append(
                f"{where}:{line}: fact '{item.get('id')}': 'last_reviewed' is now "
                "'reviewed: YYYY-MM' (the month you last checked it)"
            )


def read_region(path: Path, content: Content) -> None:
    """One region pack: its details, its own sources and its country-specific facts."""
    data, root = _parse(path)
    where = _display(path)
    region = data.get("region") if isinstance(data, dict) else None
    if not isinstance(region, dict) or not region.get("code"):
        content.problems.append(f"{where}:1: a region pack needs 'region:' with a 'code'")
        return
    code = str(region["code"])
    content.regions.append(
        RegionRecord(
            code=code, name=str(region.get("name") or code), details=region, file=where, line=_key_line(root, "region")
        )
    )
    _add_sources(data, root, where, content, required=False)
    if data.get("facts") is not None:
        _add_facts(data, root, where, content, region=code)


def _key_line(root: Any, key: str) -> int:
    if isinstance(root, yaml.MappingNode):
        for key_node, _ in root.value:
            if key_node.value == key:
                return key_node.start_mark.line + 1
    return 1


def read_content(
    facts_dir: Path | None = None, sources_file: Path | None = None, regions_dir: Path | None = None
) -> Content:
    """The shared facts, the sources file and every region pack; raises ContentError on unparsable YAML."""
    facts_dir = Path(facts_dir or settings.FACTS_DIR)
    regions_dir = Path(regions_dir or settings.REGIONS_DIR)
    content = Content()
    read_sources(Path(sources_file or settings.SOURCES_FILE), content)
    for path in sorted(facts_dir.glob("*.yml")):
        read_facts(path, content)
    for path in sorted(regions_dir.glob("*.yml")):
        read_region(path, content)
    return content


def review_month(value: Any) -> Optional[tuple[int, int]]:
    """(year, month) from `reviewed: YYYY-MM`; None for anything else (a full date is not accepted)."""
    match = _MONTH.fullmatch(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 1 <= month <= 12 else None


def month_label(value: Any) -> Optional[str]:
    """'2026-11' -> 'November 2026'."""
    ym = review_month(value)
    return dt.date(ym[0], ym[1], 1).strftime("%B %Y") if ym else None
