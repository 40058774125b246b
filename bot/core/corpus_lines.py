"""The line format every labelled corpus shares: JSON lines, one message a line, each with a text.

Both corpora (red-flag batches in data/safety, topic batches in
data/nlu_corpus) are written by independent authors, so a malformed line is
normal input: it is reported as file:line, never as a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Optional, Sequence

import yaml

SPLITS = ("train", "dev", "blind")


class CorpusError(ValueError):
    """A corpus file that cannot be used; str() names the file (and line) and what is wrong."""


def messages_in(path: Path) -> Iterator[tuple[int, dict, str]]:
    """(line number, the JSON object, its non-empty text) for every non-blank line of `path`."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read batch: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(row, dict):
            raise CorpusError(f"{path}:{number}: expected a JSON object")
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{path}:{number}: empty or missing text")
        yield number, row, text


@dataclass(frozen=True)
class BatchSplits:
    """Which batch is in which split, by batch name (a corpus's splits.yml); `path` is the file it came from."""

    train: tuple[str, ...] = ()
    dev: tuple[str, ...] = ()
    blind: tuple[str, ...] = ()
    path: Optional[Path] = None

    def split_of(self, batch: str) -> Optional[str]:
        """The split that lists `batch`, or None when none does."""
        for name in SPLITS:
            if batch in getattr(self, name):
                return name
        return None


def splits_mapping(path: Path, keys: Sequence[str]) -> dict:
    """A splits file's mapping; unreadable, not a mapping, or a key not in `keys`: CorpusError naming the file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the split file: {exc}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: expected a mapping with only the keys {tuple(keys)}")
    unknown = set(data) - set(keys)
    if unknown:
        raise CorpusError(f"{path}: unknown keys {sorted(unknown)}, expected only {tuple(keys)}")
    return data


def split_lists(data: Mapping, splits: Sequence[str], path: Path) -> dict[str, tuple[str, ...]]:
    """Each split's batch names from a splits file's mapping; a batch may stand in one split only."""
    seen: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for name in splits:
        values = data.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise CorpusError(f"{path}: '{name}' must be a list of batch names")
        for batch in values:
            if batch in seen:
                raise CorpusError(f"{path}: batch {batch!r} is in both {seen[batch]!r} and {name!r}")
            seen[batch] = name
        lists[name] = tuple(values)
    return lists
