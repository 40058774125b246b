"""Retention periods as people write them: `30d`, `12h`, `2w`, `90m`."""
from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PERIOD = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")


def parse_period(text: str) -> float:
    """Seconds in `text`; a ValueError says what is accepted (months are ambiguous, so not)."""
    match = _PERIOD.fullmatch(text.lower())
    if not match:
        raise ValueError(f"{text!r} is not a period: write a number and a unit, e.g. 30d, 12h, 2w "
                         "(s seconds, m minutes, h hours, d days, w weeks)")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"{text!r}: the period must be longer than zero")
    return seconds
