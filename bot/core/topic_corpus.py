"""The question corpus: messages written blind by independent authors, labelled with a topic.

Each author writes one batch in one persona (JSON lines, one message a line:
``{"text", "topic", "alt", "persona", "batch"}``); ``alt`` lists other topics
that are an acceptable answer too (a message that honestly asks two things).
Batches live in ``data/nlu_corpus/batches/`` and ``data/nlu_corpus/splits.yml``
says which is ``train``, ``dev`` or ``blind``, *by batch, never by line*: one
author in one persona repeats their own wording, so splitting a batch by line
would let the model see the dev wording while it trains and flatter every dev
number.

- ``train`` batches become Rasa training examples (bot/tools/nlu_corpus_build.py);
- ``dev`` batches are what every change is measured on, never trained on;
- ``blind`` batches are refused here unless ``allow_blind``: they are scored
  once, end to end, before anything is tuned on them (docs/understanding.md),
  and only then may they move to ``train``.

A batch that splits.yml does not list is refused too (unlike the safety
corpus): a new batch must be placed on purpose, because training on a batch
that was meant to be blind cannot be undone.

No Rasa import: the generator, the evaluation and the tests read the corpus
through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot.core import settings
from bot.core.corpus_lines import SPLITS, BatchSplits, CorpusError, messages_in, split_lists, splits_mapping  # noqa: F401 - CorpusError is part of this API

CORPUS_DIR = settings.ROOT / "data" / "nlu_corpus"
BATCHES_DIR = CORPUS_DIR / "batches"
SPLITS_FILE = CORPUS_DIR / "splits.yml"
MAX_TEXT = 2000


@dataclass(frozen=True)
class Message:
    text: str
    topic: str
    alt: tuple[str, ...] = ()
    persona: str = ""
    batch: str = ""

    def accepts(self, topic: str) -> bool:
        """Whether answering `topic` is right for this message (its label or an accepted alternative)."""
        return topic == self.topic or topic in self.alt


class Splits(BatchSplits):
    """data/nlu_corpus/splits.yml: every batch must be listed."""


def load_splits(path: Path = SPLITS_FILE) -> Splits:
    data = splits_mapping(path, SPLITS)
    return Splits(**split_lists(data, SPLITS, path), path=Path(path))


def read_batch(path: Path, known_topics: Optional[frozenset[str]] = None) -> list[Message]:
    """Read and check one batch file (JSON lines); any malformed line is an error naming file:line."""
    path = Path(path)
    out: list[Message] = []
    for number, row, text in messages_in(path):
        topic, alt = row.get("topic"), row.get("alt") or []
        if not isinstance(topic, str) or (known_topics is not None and topic not in known_topics):
            raise CorpusError(f"{path}:{number}: topic {topic!r} is not a topic id")
        if not isinstance(alt, list) or (known_topics is not None and set(alt) - known_topics):
            raise CorpusError(f"{path}:{number}: alt {alt!r} is not a list of topic ids")
        out.append(
            Message(
                text=text.strip()[:MAX_TEXT],
                topic=topic,
                alt=tuple(alt),
                persona=str(row.get("persona") or ""),
                batch=str(row.get("batch") or path.stem),
            )
        )
    if not out:
        raise CorpusError(f"{path}: no messages")
    return out


def batch_files(directory: Path = BATCHES_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.jsonl")) if Path(directory).is_dir() else []


def split_messages(
    split: str,
    batches_dir: Path = BATCHES_DIR,
    splits_file: Path = SPLITS_FILE,
    known_topics: Optional[frozenset[str]] = None,
    allow_blind: bool = False,
) -> list[Message]:
    """Every message of the batches in one split; blind only when asked for, unlisted batches refused."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}")
    if split == "blind" and not allow_blind:
        raise CorpusError("blind batches are scored once, never trained or tuned on (allow_blind=False)")
    splits = load_splits(splits_file)
    out: list[Message] = []
    for path in batch_files(batches_dir):
        where = splits.split_of(path.stem)
        if where is None:
            raise CorpusError(f"{path}: batch {path.stem!r} is not listed in {splits.path}; place it in a split first")
        if where == split:
            out.extend(read_batch(path, known_topics))
    return out
