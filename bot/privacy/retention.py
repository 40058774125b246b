"""Retention periods as people write them: `30d`, `12h`, `2w`, `90m`."""

from __future__ import annotations

import os
import re
from typing import Mapping, Optional

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PERIOD = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")


def parse_period(text: str) -> float:
    """Seconds in `text`; a ValueError says what is accepted (months are ambiguous, so not)."""
    match = _PERIOD.fullmatch(text.lower())
    if not match:
        raise ValueError(
            f"{text!r} is not a period: write a number and a unit, e.g. 30d, 12h, 2w "
            "(s seconds, m minutes, h hours, d days, w weeks)"
        )
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"{text!r}: the period must be longer than zero")
    return seconds


RETENTION_ENV = "BACKCARE_RETENTION"
DEFAULT_RETENTION = "30d"


def configured_retention(environ: Optional[Mapping[str, str]] = None) -> tuple[str, float]:
    """The clinic's retention period (`BACKCARE_RETENTION`, default 30d) as written and in seconds.

    `bot privacy purge --older-than` deletes what is older; the insights report
    never reads further back, so it shows nothing a purge would already have removed.
    """
    text = (environ if environ is not None else os.environ).get(RETENTION_ENV) or DEFAULT_RETENTION
    return text, parse_period(text)
