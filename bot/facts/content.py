"""Reading the fact base's YAML files, keeping the file and line of every fact.

Clinicians edit these files by hand, so every problem is reported with the
place to fix it, and nothing is loaded from a file that does not parse.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from bot import settings


class ContentError(ValueError):
    """A content file that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class SourceRecord:
    id: str
    title: str
    publisher: str
    url: Optional[str]
    document: Optional[str]
    file: str
    line: int

    def digest(self) -> str:
        return _digest({"title": self.title, "publisher": self.publisher, "url": self.url, "document": self.document})


@dataclass(frozen=True)
class FactRecord:
    id: str
    topic: str
    answer: str
    detail: Optional[str]
    see_professional_when: tuple[str, ...]
    related: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: Any
    file: str
    line: int

    def digest(self) -> str:
        data = asdict(self)
        data.pop("file")
        data.pop("line")
        data["last_reviewed"] = str(self.last_reviewed)
        return _digest(data)


@dataclass
class Content:
    facts: list[FactRecord] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
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


def read_sources(path: Path, content: Content) -> None:
    data, root = _parse(path)
    where = _display(path)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
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
            )
        )


def read_facts(path: Path, content: Content) -> None:
    data, root = _parse(path)
    where = _display(path)
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        content.problems.append(f"{where}:1: expected 'area' and a list under 'facts'")
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
                last_reviewed=item.get("last_reviewed"),
                file=where,
                line=line,
            )
        )


def read_content(facts_dir: Path | None = None, sources_file: Path | None = None) -> Content:
    """Everything under the facts folder plus the sources file; raises ContentError on unparsable YAML."""
    facts_dir = Path(facts_dir or settings.FACTS_DIR)
    content = Content()
    read_sources(Path(sources_file or settings.SOURCES_FILE), content)
    for path in sorted(facts_dir.glob("*.yml")):
        read_facts(path, content)
    return content


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date)
