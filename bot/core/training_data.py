"""The NLU training examples as plain text, for the vocabulary the dialogue needs at run time.

`bot.core.dialogue` tells a misspelt word from an unknown one by the words the
model was trained on (data/nlu/), so this reader is part of the running
assistant; the evaluation sets that must stay apart from these examples are
read by the tooling (`bot.tools.labelled`).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.core import settings

NLU_DIR = settings.ROOT / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


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
