"""Triage levels (SPEC section 3) and their order: the safer level always wins."""

from __future__ import annotations

from typing import Iterable

NONE = "none"
PROFESSIONAL = "professional"
URGENT = "urgent"
EMERGENCY = "emergency"

#: every level, lowest first
LEVELS = (NONE, PROFESSIONAL, URGENT, EMERGENCY)
#: the levels a flag can carry
FLAG_LEVELS = (PROFESSIONAL, URGENT, EMERGENCY)
#: the levels that override the intent and skip massage advice
ALERT_LEVELS = (URGENT, EMERGENCY)

_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def rank(level: str) -> int:
    """0 for none ... 3 for emergency; unknown levels raise KeyError."""
    return _RANK[level]


def highest(levels: Iterable[str]) -> str:
    """The highest (safest) of the given levels, ``none`` when empty."""
    best = NONE
    for level in levels:
        if _RANK[level] > _RANK[best]:
            best = level
    return best
