"""The machine-readable `custom` object every reply carries (product spec, section 2)."""

from __future__ import annotations

from typing import Iterable, Mapping, Optional

from bot.core.levels import LEVELS as TRIAGE_LEVELS


def _source(s: Mapping[str, Optional[str]]) -> dict:
    """A source as users see it; `kind` (guideline, systematic_review, ...) is shown next to the title."""
    item = {"title": s["title"], "url": s.get("url")}
    if s.get("kind"):
        item["kind"] = s["kind"]
    return item


def envelope(
    topic: str,
    triage: str = "none",
    sources: Iterable[Mapping[str, Optional[str]]] = (),
    disclaimer: bool = True,
) -> dict:
    if triage not in TRIAGE_LEVELS:
        raise ValueError(f"unknown triage level {triage!r}")
    return {
        "topic": topic,
        "triage": triage,
        "sources": [_source(s) for s in sources],
        "disclaimer": disclaimer,
    }
