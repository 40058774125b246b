"""Turning what people call things into entity values (topic id suffixes).

No extractor in the pipeline finds spans any more (the intent classifier only
adds a routed value the words leave unnamed, bot.rasa.topic_classifier); the
names are found in the words with the lists of data/nlu/synonyms.yml (and
synonyms_*.yml beside it). People misspell ("siatica", "deep tisue"). This module reads the same synonym
lists, so there is one source of truth, and offers two things on top:

- `normalise`: an extracted value that is not a known value is matched
  against every known spelling, exactly, without filler words ("massage"),
  then fuzzily;
- `find_in_text`: the known values of one entity that a message mentions
  (by name, or described by one of the regex patterns of the same file), for
  when the extractor found none.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import yaml

from bot.core.config import Settings, or_current
from bot.core.topics import routes, topics

log = logging.getLogger(__name__)
# Words people add around a name that do not change which thing they mean.
FILLER = frozenset({"massage", "massages", "therapy", "technique", "techniques", "treatment", "a", "the", "my", "for"})
FUZZY_CUTOFF = 0.88
FUZZY_MIN_CHARS = 5
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# A name never runs over these: "back pain in pregnancy, massage ok?" does not name pregnancy massage.
_CLAUSE_BREAK = re.compile(r"[,.;:!?]+")


@dataclass(frozen=True)
class Vocabulary:
    """Every spelling of every value of one entity, mapped to the value."""

    entity: str
    spellings: dict[str, str]

    @property
    def values(self) -> frozenset[str]:
        return frozenset(self.spellings.values())


def words(text: str) -> list[str]:
    """Lower-case words of a text, the way every matcher here splits it."""
    return _WORD.findall(text.lower().replace("_", " "))


_words = words


def _key(text: str) -> str:
    return " ".join(_words(text))


def _without_filler(text: str) -> str:
    return " ".join(w for w in _words(text) if w not in FILLER)


def _listed(block: dict) -> list[str]:
    return [line.strip()[2:].strip() for line in str(block["examples"]).splitlines() if line.strip().startswith("- ")]


def synonyms_file(settings: Optional[Settings] = None) -> Path:
    """data/nlu/synonyms.yml: the NLU training data's synonym and regex blocks."""
    return or_current(settings).nlu_dir / "synonyms.yml"


def _blocks(settings: Optional[Settings] = None) -> list[dict]:
    s = or_current(settings)
    return s.cached("synonym_blocks", lambda: _read_blocks(synonyms_file(s)))


def _read_blocks(path: Path) -> list[dict]:
    if not path.exists():  # a deployment without data/: only exact values are understood
        log.warning("%s is missing: misspelt or unannotated names will not be recognised", path)
        return []
    # synonyms_*.yml beside it: more lists in the same format (e.g. synonyms_lay.yml, lay names from the corpus)
    files = [path, *sorted(path.parent.glob("synonyms_*.yml"))]
    return [block for f in files for block in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("nlu", [])]


def _synonyms(settings: Optional[Settings] = None) -> dict[str, list[str]]:
    """value -> spellings, from the NLU training data's synonym blocks."""
    s = or_current(settings)

    def build() -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for block in _blocks(s):
            if "synonym" in block:
                table.setdefault(str(block["synonym"]), []).extend(_listed(block))
        return table

    return s.cached("synonyms", build)


def _patterns(settings: Optional[Settings] = None) -> dict[str, list[re.Pattern]]:
    """value -> regular expressions, from regex blocks named after a value."""
    s = or_current(settings)

    def build() -> dict[str, list[re.Pattern]]:
        table: dict[str, list[re.Pattern]] = {}
        for block in _blocks(s):
            if "regex" in block:
                table.setdefault(str(block["regex"]), []).extend(re.compile(p, re.IGNORECASE) for p in _listed(block))
        return table

    return s.cached("synonym_patterns", build)


def vocabulary(entity: str, settings: Optional[Settings] = None) -> Vocabulary:
    """The vocabulary of an entity that routes to topics (see content/routing.yml)."""
    s = or_current(settings)
    return s.cached(("vocabulary", entity), lambda: _build_vocabulary(entity, s))


def _build_vocabulary(entity: str, s: Settings) -> Vocabulary:
    prefixes = {route.entity: route.prefix for route in routes(s).values() if route.entity and route.prefix}
    prefix = prefixes.get(entity)
    if prefix is None:
        return Vocabulary(entity, {})
    values = _values_of(prefix, s)
    # "pregnancy massage" without its filler is "pregnancy", which names a condition: a shortened
    # name that is another kind's full name stays that kind's
    others = {
        _key(spelling)
        for p in set(prefixes.values()) - {prefix}
        for value in _values_of(p, s)
        for spelling in [value, *_synonyms(s).get(value, [])]
    }
    spellings: dict[str, str] = {}
    for value in values:
        for spelling in [value, *_synonyms(s).get(value, [])]:
            full, short = _key(spelling), _without_filler(spelling)
            for key in {full, short if short not in others else ""}:
                if key:
                    spellings.setdefault(key, value)
    return Vocabulary(entity, spellings)


def _values_of(prefix: str, s: Settings) -> list[str]:
    """The entity values of one kind of topic ("type" -> swedish, deep_tissue, ...), without its overview."""
    return [t.split(".", 1)[1] for t in topics(s).all if t.startswith(prefix + ".") and not t.endswith(".overview")]


def normalise(entity: str, raw: str) -> Optional[str]:
    """The known value a (possibly misspelt) extracted value stands for, or None."""
    vocab = vocabulary(entity)
    if not vocab.spellings:
        return None
    if raw in vocab.values:
        return raw
    for key in (_key(raw), _without_filler(raw)):
        if key in vocab.spellings:
            return vocab.spellings[key]
    key = _without_filler(raw) or _key(raw)
    if len(key) >= FUZZY_MIN_CHARS:
        close = difflib.get_close_matches(key, vocab.spellings.keys(), n=1, cutoff=FUZZY_CUTOFF)
        if close:
            return vocab.spellings[close[0]]
    inside = find_in_text(entity, raw)  # a span with extra words around a known name
    return inside[0] if len(inside) == 1 else None


def find_in_text(entity: str, text: str) -> list[str]:
    """Known values of `entity` that `text` mentions, in order of first mention.

    Exact spellings (on word boundaries, longest first) are trusted; a single
    misspelt word of at least five letters is matched fuzzily (same first letter).
    """
    vocab = vocabulary(entity)
    clauses = [_words(part) for part in _CLAUSE_BREAK.split(text)]
    clause_of = [c for c, ws in enumerate(clauses) for _ in ws]
    words = [w for ws in clauses for w in ws]
    if not vocab.spellings or not words:
        return []
    found: list[tuple[int, str]] = []
    taken = [False] * len(words)
    for spelling in sorted(vocab.spellings, key=lambda s: -len(s.split())):
        n = len(spelling.split())
        for i in range(len(words) - n + 1):
            if (
                not any(taken[i : i + n])
                and clause_of[i] == clause_of[i + n - 1]
                and " ".join(words[i : i + n]) == spelling
            ):
                found.append((i, vocab.spellings[spelling]))
                taken[i : i + n] = [True] * n
    single = [s for s in vocab.spellings if " " not in s and len(s) >= FUZZY_MIN_CHARS]
    for i, word in enumerate(words):
        if taken[i] or len(word) < FUZZY_MIN_CHARS or word in FILLER:
            continue
        stem = next((s for s in single if word.startswith(s)), None)  # "frictioning", "kneaded"
        close = [stem] if stem else _close(word, single)
        if close:
            found.append((i, vocab.spellings[close[0]]))
    if not found:  # described rather than named, e.g. "back pain for years"
        found = [
            (0, value)
            for value, patterns in _patterns().items()
            if value in vocab.values and any(p.search(text) for p in patterns)
        ]
    return _unique(value for _, value in sorted(found))


def _close(word: str, spellings: list[str]) -> list[str]:
    """The spelling a word in a message misspells, if any.

    Only spellings with the word's first letter: people rarely misspell the
    first letter, and ordinary words one letter from a name differ there
    ("trained" is not "strained", "degeneration" not "regeneration", "tumore"
    not "umore").
    """
    same_start = [s for s in spellings if s[:1] == word[:1]]
    return difflib.get_close_matches(word, same_start, n=1, cutoff=FUZZY_CUTOFF)


def without_phrases(entity: str, text: str) -> str:
    """The words of `text` without the multi-word names of `entity`'s values ("rounded shoulders" for posture).

    So a name that contains another kind's word ("shoulders") is not read as that kind too.
    """
    ws = _words(text)
    phrases = sorted((k.split() for k in vocabulary(entity).spellings if " " in k), key=len, reverse=True)
    keep = [True] * len(ws)
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(ws) - n + 1):
            if all(keep[i : i + n]) and ws[i : i + n] == phrase:
                keep[i : i + n] = [False] * n
    return " ".join(w for w, k in zip(ws, keep) if k)


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
