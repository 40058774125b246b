"""The labelled safety corpus: batches of messages, and which split each batch belongs to.

Independent authors write labelled batches (JSON lines, one message a line:
``{"text", "level", "flag", "persona", "batch"}``) into ``data/safety/batches/``.
``data/safety/splits.yml`` says which batch is ``train`` and which is ``dev``,
*by batch, never by line*: messages from one author and one persona share
wording, so splitting a batch by line would let the model see the dev wording
while it trains and flatter every dev number.

A batch that ``splits.yml`` does not list is training data (with a warning, so
a new batch is never silently held out or silently scored). A batch listed as
``blind`` is refused by the training loader: blind batches are scored once, end
to end, before anything is tuned on them (docs/safety.md), and only then may
they move to ``train``.

The project's own labelled set (data/safety/labelled_set.yml, written while
the lexicon was tuned on it) may join training (``labelled_set: train``), but it
is always reported on its own.

No Rasa import here: the evaluation, the benchmark and the Rasa component all
read the corpus through this module.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from bot.core.corpus_lines import SPLITS, BatchSplits, CorpusError, messages_in, split_lists, splits_mapping  # noqa: F401 - CorpusError is part of this API
from bot.core.levels import LEVELS, NONE, PROFESSIONAL

from .lexicon import REPO_ROOT

logger = logging.getLogger(__name__)

CORPUS_DIR = REPO_ROOT / "data" / "safety"
BATCHES_DIR = CORPUS_DIR / "batches"
SPLITS_FILE = CORPUS_DIR / "splits.yml"
TOPIC_BENIGN_FILE = CORPUS_DIR / "topic_benign.yml"
TOPIC_BATCH_PREFIX = "topic:"
LABELLED_SET = REPO_ROOT / "data" / "safety" / "labelled_set.yml"
LABELLED_SET_NAME = "labelled-set"
MAX_TEXT = 5000


@dataclass(frozen=True)
class SafetyMessage:
    text: str
    level: str
    flag: str = ""
    persona: str = ""
    batch: str = ""


@dataclass(frozen=True)
class Splits(BatchSplits):
    """Which batch is in which split (data/safety/splits.yml), and whether the labelled set trains."""

    labelled_set: str = "train"  # "train" | "report" (reported, never trained on)


def load_splits(path: Path | str = SPLITS_FILE) -> Splits:
    """Read splits.yml; a missing file means every batch is training data."""
    path = Path(path)
    if not path.exists():
        return Splits(path=path)
    data = splits_mapping(path, (*SPLITS, "labelled_set"))
    lists = {name: tuple(v.strip() for v in values) for name, values in split_lists(data, SPLITS, path).items()}
    labelled = data.get("labelled_set", "train")
    if labelled not in ("train", "report"):
        raise CorpusError(f"{path}: 'labelled_set' must be 'train' or 'report', got {labelled!r}")
    return Splits(**lists, labelled_set=labelled, path=path)


def read_batch(path: Path | str, splits: Optional[Splits] = None, allow_blind: bool = False) -> List[SafetyMessage]:
    """Read and check one batch file (JSON lines).

    ``allow_blind=False`` (training, tuning): a batch that ``splits`` lists as
    blind raises :class:`CorpusError`. Scoring a blind batch passes ``True``.
    """
    path = Path(path)
    name = path.stem
    if splits is not None and not allow_blind and splits.split_of(name) == "blind":
        raise CorpusError(
            f"{path}: batch {name!r} is listed as blind in {splits.path}; it is never training or tuning data"
        )
    out: List[SafetyMessage] = []
    for number, row, text in messages_in(path):
        level = row.get("level")
        if level not in LEVELS:
            raise CorpusError(f"{path}:{number}: level {level!r} is not one of {LEVELS}")
        batch = str(row.get("batch") or name)
        if splits is not None and not allow_blind and splits.split_of(batch) == "blind":
            raise CorpusError(f"{path}:{number}: message of blind batch {batch!r}")
        out.append(
            SafetyMessage(
                text=text[:MAX_TEXT],
                level=level,
                flag=str(row.get("flag") or ""),
                persona=str(row.get("persona") or ""),
                batch=batch,
            )
        )
    if not out:
        raise CorpusError(f"{path}: no messages")
    return out


def read_labelled_set(path: Path | str = LABELLED_SET) -> List[SafetyMessage]:
    """The project's own labelled set as corpus messages (batch ``labelled-set``)."""
    from .evaluate import load_labelled  # the set's own validation

    return [
        SafetyMessage(text=e.text, level=e.level, flag="", persona=f"project:{e.note}", batch=LABELLED_SET_NAME)
        for e in load_labelled(path)
    ]


def batch_files(directory: Path | str = BATCHES_DIR) -> List[Path]:
    directory = Path(directory)
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


@dataclass
class Corpus:
    """Training and dev messages, and which batches went where."""

    train: List[SafetyMessage] = field(default_factory=list)
    dev: List[SafetyMessage] = field(default_factory=list)
    labelled: List[SafetyMessage] = field(default_factory=list)
    batches: Dict[str, str] = field(default_factory=dict)  # batch -> split
    unlisted: List[str] = field(default_factory=list)
    # benign questions from the topic corpus's train split: extra training data for
    # the model only, never part of the labelled safety corpus or its numbers
    topic_benign: List[SafetyMessage] = field(default_factory=list)

    def by_batch(self) -> Dict[str, List[SafetyMessage]]:
        out: Dict[str, List[SafetyMessage]] = {}
        for m in self.train + self.dev:
            if m.batch != LABELLED_SET_NAME:
                out.setdefault(m.batch, []).append(m)
        return out


@dataclass(frozen=True)
class TopicBenignConfig:
    """data/safety/topic_benign.yml: which topic-corpus split is benign training data, and its levels."""

    split: str = "train"
    professional_topics: Tuple[str, ...] = ()

    def level_of(self, topic: str) -> str:
        return PROFESSIONAL if topic in self.professional_topics else NONE


def load_topic_benign_config(path: Path | str = TOPIC_BENIGN_FILE) -> Optional[TopicBenignConfig]:
    """None when the file is absent (the model then trains on the safety corpus alone)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or set(data) - {"split", "professional_topics"}:
        raise CorpusError(f"{path}: expected a mapping with 'split' and 'professional_topics'")
    split = data.get("split", "train")
    if split not in ("train", "dev"):
        # blind batches are never training data; dev is allowed only to measure, never here
        raise CorpusError(f"{path}: 'split' must be 'train' (or 'dev' to measure), got {split!r}")
    topics = data.get("professional_topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise CorpusError(f"{path}: 'professional_topics' must be a list of topic ids")
    return TopicBenignConfig(split=split, professional_topics=tuple(topics))


def load_topic_benign(
    split: Optional[str] = None,
    config_file: Path | str = TOPIC_BENIGN_FILE,
    topic_batches_dir: Optional[Path | str] = None,
    topic_splits_file: Optional[Path | str] = None,
) -> List[SafetyMessage]:
    """The question corpus's messages of one split as benign safety messages (none or professional).

    ``split`` defaults to the one the config names (train). Their batch is
    ``topic:<batch>`` and their flag ``topic:<topic id>``, so they are never
    mistaken for labelled safety batches.
    """
    config = load_topic_benign_config(config_file)
    if config is None:
        return []
    from bot.core import topic_corpus  # no Rasa import there either

    kwargs = {}
    if topic_batches_dir is not None:
        kwargs["batches_dir"] = Path(topic_batches_dir)
    if topic_splits_file is not None:
        kwargs["splits_file"] = Path(topic_splits_file)
    try:
        messages = topic_corpus.split_messages(split or config.split, **kwargs)
    except topic_corpus.CorpusError as exc:
        raise CorpusError(f"topic corpus: {exc}") from None
    return [
        SafetyMessage(
            text=m.text[:MAX_TEXT],
            level=config.level_of(m.topic),
            flag=f"topic:{m.topic}",
            persona=m.persona,
            batch=f"{TOPIC_BATCH_PREFIX}{m.batch}",
        )
        for m in messages
    ]


def topic_benign_files(config_file: Path | str = TOPIC_BENIGN_FILE) -> List[Path]:
    """Everything the topic-corpus benign examples are read from (for the training fingerprint)."""
    config_file = Path(config_file)
    if not config_file.exists():
        return []
    from bot.core import topic_corpus

    return [config_file, Path(topic_corpus.SPLITS_FILE), *topic_corpus.batch_files()]


def load_corpus(
    batches_dir: Path | str = BATCHES_DIR,
    splits_file: Path | str = SPLITS_FILE,
    labelled_set: Optional[Path | str] = LABELLED_SET,
    topic_benign_file: Optional[Path | str] = None,
) -> Corpus:
    """Every train and dev batch, split by batch; blind batches refused, unlisted ones trained on.

    ``topic_benign_file`` (default: ``topic_benign.yml`` beside ``splits_file``, when
    it exists) adds the question corpus's train split as benign model-training data.
    """
    splits = load_splits(splits_file)
    corpus = Corpus()
    topic_file = (
        Path(topic_benign_file) if topic_benign_file is not None else Path(splits_file).parent / TOPIC_BENIGN_FILE.name
    )
    corpus.topic_benign = load_topic_benign(config_file=topic_file)
    for path in batch_files(batches_dir):
        messages = read_batch(path, splits)
        split = splits.split_of(path.stem)
        if split is None:
            split = "train"
            corpus.unlisted.append(path.stem)
            logger.warning("Safety batch %s is not listed in %s: used for training", path.stem, splits.path)
        corpus.batches[path.stem] = split
        getattr(corpus, split).extend(messages)
    if labelled_set is not None and Path(labelled_set).exists():
        corpus.labelled = read_labelled_set(labelled_set)
        if splits.labelled_set == "train":
            corpus.train.extend(corpus.labelled)
    return corpus


def corpus_fingerprint(
    batches_dir: Path | str = BATCHES_DIR,
    splits_file: Path | str = SPLITS_FILE,
    labelled_set: Optional[Path | str] = LABELLED_SET,
    extra: Iterable[Path] = (),
) -> str:
    """A hash of everything the learned model is trained from (batch files, splits, labelled set)."""
    digest = hashlib.sha256()
    paths: List[Path] = [*batch_files(batches_dir), Path(splits_file)]
    if labelled_set is not None:
        paths.append(Path(labelled_set))
    paths.extend(Path(p) for p in extra)
    paths.extend(topic_benign_files(Path(splits_file).parent / TOPIC_BENIGN_FILE.name))
    for path in paths:
        digest.update(path.name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def counts(messages: Sequence[SafetyMessage]) -> Dict[str, int]:
    out = {level: 0 for level in reversed(LEVELS)}
    for m in messages:
        out[m.level] += 1
    return out
