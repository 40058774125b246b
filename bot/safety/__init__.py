"""Red-flag safety layer: finds the people who need a doctor before any massage advice.

Public API (used by the Rasa component, the benchmark and the tests)::

    from bot.safety import RedFlagDetector
    detector = RedFlagDetector.from_yaml()          # content/red_flags.yml
    assessment = detector.assess("I can't feel my legs")
    assessment.level        # "emergency" | "urgent" | "professional" | "none"
    assessment.flags        # (Flag(id, group, level, text), ...), highest first
    assessment.info_question

The detector module is imported lazily so that importing ``bot.safety`` (e.g.
for the levels) does not load spaCy.
"""

from __future__ import annotations

from bot.core.levels import ALERT_LEVELS, FLAG_LEVELS, LEVELS, highest, rank

from .lexicon import DEFAULT_LEXICON_PATH, LexiconError

__all__ = [
    "ALERT_LEVELS",
    "Assessment",
    "DEFAULT_LEXICON_PATH",
    "FLAG_LEVELS",
    "Flag",
    "LEVELS",
    "LexiconError",
    "RedFlagDetector",
    "highest",
    "rank",
]


def __getattr__(name: str):
    if name in ("Assessment", "Flag", "RedFlagDetector", "DroppedFlag"):
        from . import detector

        return getattr(detector, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
