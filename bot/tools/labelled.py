"""The labelled message sets that measure understanding, and the training examples they must stay apart from.

The sets live next to the tests (tests/nlu/heldout.yml: never trained on, the
target; tests/nlu/dev.yml: used while tuning), as topic id -> messages. The
evaluation (`make eval`) and the tests both read them through this module; the
training examples they are kept apart from come from `bot.core.training_data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import settings
from bot.core.training_data import NLU_DIR, training_texts  # noqa: F401 - part of this API for the tooling

HELDOUT_FILE = settings.ROOT / "tests" / "nlu" / "heldout.yml"
DEV_FILE = settings.ROOT / "tests" / "nlu" / "dev.yml"


@dataclass(frozen=True)
class Example:
    text: str
    topic: str


def labelled(path: Path = HELDOUT_FILE) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    return [Example(str(text), topic) for topic, texts in raw.items() for text in texts]


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
