"""Reading the held-out and development sets (tests/nlu/*.yml) and the NLU training examples."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import settings

HELDOUT_FILE = Path(__file__).with_name("heldout.yml")
DEV_FILE = Path(__file__).with_name("dev.yml")
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    text: str
    topic: str


def heldout(path: Path = HELDOUT_FILE) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    return [Example(str(text), topic) for topic, texts in raw.items() for text in texts]


def training_texts(data_dir: Path = settings.ROOT / "data" / "nlu") -> list[str]:
    """Every intent example of the NLU training data, with entity annotations removed."""
    texts: list[str] = []
    for path in sorted(data_dir.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line[2:].strip()))
    return texts


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
