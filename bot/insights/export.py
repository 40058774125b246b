"""The unanswered list as CSV, for a clinician turning it into training examples or facts.

One row per group of similar messages: how often it came, one masked example,
the topic the assistant guessed, what it did (clarified, not understood,
refused), the channels, and every masked wording of the group. A cell that
starts with =, +, - or @ is prefixed with a quote, so a spreadsheet never
runs a message as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

from bot.insights.model import OUTCOME_LABELS, UnansweredGroup, channel_label

COLUMNS = ("count", "example", "guessed_topic", "outcomes", "channels", "wordings")


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _counts(counts: dict[str, int], label) -> str:
    return "; ".join(f"{label(k)} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def unanswered_csv(groups: Iterable[UnansweredGroup]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in groups:
        writer.writerow(
            [
                g.count,
                _cell(g.example),
                g.guessed_topic or "",
                _counts(g.outcomes, lambda o: OUTCOME_LABELS.get(o, o)),
                _counts(g.channels, channel_label),
                _cell(" | ".join(g.texts)),
            ]
        )
    return buffer.getvalue()
