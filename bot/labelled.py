"""The labelled message sets that measure understanding, and the training examples they must stay apart from.

The sets live next to the tests (tests/nlu/heldout.yml: never trained on, the
target; tests/nlu/dev.yml: used while tuning), as topic id -> messages. The
evaluation (`make eval`) and the tests both read them through this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import settings

HELDOUT_FILE = settings.ROOT / "tests" / "nlu" / "heldout.yml"
DEV_FILE = settings.ROOT / "tests" / "nlu" / "dev.yml"
NLU_DIR = settings.ROOT / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    text: str
    topic: str


def labelled(path: Path = HELDOUT_FILE) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    return [Example(str(text), topic) for topic, texts in raw.items() for text in texts]


def training_texts(data_dir: Path = NLU_DIR, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every intent example of the NLU training data (but those of `skip`), with entity annotations removed."""
    texts: list[str] = []
    for path in sorted(data_dir.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block or block["intent"] in skip:
                continue
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line[2:].strip()))
    return texts


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
