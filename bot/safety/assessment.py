"""What the detector says about one message, and how it is put together.

:class:`Assessment` (with its :class:`Flag` and :class:`DroppedFlag` entries) is
the detector's answer. :func:`assemble` builds it from the flags and helpers the
matchers found, once ConText has attached its modifiers: helpers first (some
flags need one), each flag kept or dropped by its modifiers
(bot.safety.context_effects), companions checked (``requires_any``), offsets
mapped back to the text the person typed, highest level first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

from bot.core.levels import ALERT_LEVELS, NONE, highest, rank

from .context_effects import verdict
from .lexicon import FlagSpec, ModifierCategory, Target
from .normalise import Normalised


@dataclass(frozen=True)
class Flag:
    """One red flag found in the user's own (or a present third person's) situation."""

    id: str
    group: str
    level: str
    text: str
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class DroppedFlag:
    """A flag phrase that was found but does not count, and why (for reports and debugging)."""

    id: str
    level: str
    text: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    """The triage of one message: the highest level among the flags that count."""

    level: str = NONE
    flags: Tuple[Flag, ...] = ()
    info_question: bool = False
    dropped: Tuple[DroppedFlag, ...] = field(default=(), compare=False)

    @property
    def top(self) -> Optional[Flag]:
        """The flag that set the level (the first of the highest level), or None."""
        return self.flags[0] if self.flags else None

    @property
    def is_alert(self) -> bool:
        return self.level in ALERT_LEVELS


@dataclass
class Found:
    kind: str  # "flag" | "helper"
    spec: Target
    start: int
    end: int
    label: str
    modifiers: list = field(default_factory=list)


def _original_offsets(norm: Normalised, doc, item: "Found") -> Tuple[int, int]:
    """Character offsets of a found span in the text the person typed."""
    span = doc[item.start : item.end]
    start, end = norm.original(span.start_char), norm.original(span.end_char)
    return start, max(end, start + 1)


def _original(text: str, norm: Normalised, doc, item: "Found") -> str:
    start, end = _original_offsets(norm, doc, item)
    return text[start:end]


def assemble(
    found: Iterable[Found],
    categories: Dict[str, ModifierCategory],
    text: str,
    norm: Normalised,
    doc,
    info_question: bool,
) -> Assessment:
    """The assessment of a message from its found flags and helpers (their modifiers attached)."""
    present, kept, dropped, question_drop = _judge(found, categories, text, norm, doc)
    flags = _counted(kept, present, text, norm, doc, dropped)
    return Assessment(
        level=highest(f.level for f in flags),
        flags=tuple(flags),
        info_question=info_question or question_drop,
        dropped=tuple(dropped),
    )


def _judge(found: Iterable[Found], categories: Dict[str, ModifierCategory], text: str, norm: Normalised, doc):
    """(ids present, flags kept, flags dropped, dropped-as-an-alert-question?) after the modifiers."""
    found = list(found)
    raw_helpers = {f.label for f in found if f.kind == "helper"}
    present: Set[str] = set()
    kept: List[Tuple[Found, FlagSpec]] = []
    dropped: List[DroppedFlag] = []
    question_drop = False
    # helpers first: flags may need them
    for item in sorted(found, key=lambda f: f.kind != "helper"):
        counts, why, is_question = verdict(item, categories, raw_helpers)
        if item.kind == "helper":
            if counts:
                present.add(item.label)
            continue
        spec: FlagSpec = item.spec  # type: ignore[assignment]
        if counts:
            present.add(item.label)
            kept.append((item, spec))
        else:
            dropped.append(DroppedFlag(spec.id, spec.level, _original(text, norm, doc, item), why))
            if is_question and spec.level in ALERT_LEVELS:
                question_drop = True
    return present, kept, dropped, question_drop


def _counted(
    kept: List[Tuple[Found, FlagSpec]], present: Set[str], text: str, norm: Normalised, doc, dropped: List[DroppedFlag]
) -> List[Flag]:
    """The kept flags whose companions are present, once per place, highest level first."""
    flags: List[Flag] = []
    seen = set()
    for item, spec in kept:
        level = spec.level
        if spec.requires_any and not any(req in present for req in spec.requires_any):
            level = spec.otherwise_level
            if level == NONE:
                dropped.append(
                    DroppedFlag(
                        spec.id, spec.level, _original(text, norm, doc, item), f"needs one of {list(spec.requires_any)}"
                    )
                )
                continue
        start, end = _original_offsets(norm, doc, item)
        key = (spec.id, start, end)
        if key in seen:
            continue
        seen.add(key)
        flags.append(Flag(id=spec.id, group=spec.group, level=level, text=text[start:end], start=start, end=end))
    flags.sort(key=lambda f: (-rank(f.level), f.start))
    return flags
