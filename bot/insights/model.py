"""The report: grouped counts from SQL, and the views the page and the CSV are made of.

The database returns one row per combination of (day, week, channel, topic,
outcome, triage level, red-flag group, what the person did next) with its
count of turns; every table in the report is a sum over those rows. So the
views below add up small numbers in Python, while the work proportional to the
number of events stays in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from bot.core.levels import EMERGENCY, PROFESSIONAL, URGENT
from bot.insights.sqljson import DAY, FIRST_MONDAY, WEEK

# What a turn's answer was (from its envelope; see query.py for the rules).
ANSWERED, CLARIFIED, NOT_UNDERSTOOD, REFUSED, TRIAGED, NO_ANSWER = (
    "answered",
    "clarified",
    "not_understood",
    "refused",
    "triaged",
    "no_answer",
)
OUTCOMES = (ANSWERED, CLARIFIED, NOT_UNDERSTOOD, REFUSED, TRIAGED, NO_ANSWER)
OUTCOME_LABELS = {
    ANSWERED: "answered directly",
    CLARIFIED: "clarifying question",
    NOT_UNDERSTOOD: "not understood (asked to rephrase)",
    REFUSED: "refused (out of scope)",
    TRIAGED: "sent to emergency or a doctor",
    NO_ANSWER: "no answer stored",
}
UNANSWERED = (CLARIFIED, NOT_UNDERSTOOD, REFUSED)

ALERT_LEVELS = (EMERGENCY, URGENT, PROFESSIONAL)

# What the same person did next, within the same session.
LEFT, PERSON, DENIED, REPEATED, CONTINUED = "left", "person", "denied", "repeated", "continued"
NEXT_LABELS = {
    LEFT: "left",
    PERSON: "asked for a person",
    DENIED: "said it didn't help",
    REPEATED: "asked the same again",
    CONTINUED: "asked something else",
}

# Channel names as Rasa records them (`input_channel`), as a clinic calls them.
CHANNEL_LABELS = {"rest": "REST", "socketio": "widget", "telegram": "Telegram", "cmdline": "shell"}


def channel_label(channel: Optional[str]) -> str:
    return CHANNEL_LABELS.get(channel or "", channel or "unknown")


def day_start(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def week_start(week: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(seconds=FIRST_MONDAY + week * WEEK)


@dataclass(frozen=True)
class Period:
    """[since, until) in Unix seconds, and the channel looked at (None: all)."""

    since: float
    until: float
    channel: Optional[str] = None

    def days(self) -> list[int]:
        first, last = int(self.since // DAY), int((self.until - 1e-6) // DAY)
        return list(range(first, last + 1))

    def weeks(self) -> list[int]:
        first, last = (int((t - FIRST_MONDAY) // WEEK) for t in (self.since, self.until - 1e-6))
        return list(range(first, last + 1))


@dataclass(frozen=True)
class Group:
    """Turns sharing every dimension, and how many conversations they started."""

    day: int
    week: int
    channel: Optional[str]
    topic: Optional[str]
    outcome: str
    triage: str
    red_flag: Optional[str]
    next_step: str
    turns: int
    conversations: int  # conversations whose first turn in the period is here
    conversation_days: int  # (conversation, day) pairs whose first turn that day is here
    alert_conversations: int  # conversations whose first alert in the period is here


@dataclass(frozen=True)
class UnansweredGroup:
    """Messages worded alike that the assistant did not answer; texts already masked."""

    example: str
    count: int
    outcomes: dict[str, int]
    guessed_topic: Optional[str]
    channels: dict[str, int]
    texts: tuple[str, ...] = ()


@dataclass
class Report:
    period: Period
    retention_seconds: float
    generated_at: float
    groups: list[Group]
    unanswered: list[UnansweredGroup] = field(default_factory=list)
    store_empty: bool = False
    since_clamped: bool = False
    skipped_rows: int = 0
    channels_seen: tuple[str, ...] = ()

    # -- the views, each a sum over `groups` ---------------------------------------------
    def _mine(self) -> list[Group]:
        channel = self.period.channel
        return [g for g in self.groups if channel is None or g.channel == channel]

    @property
    def has_data(self) -> bool:
        return any(g.turns for g in self._mine())

    def totals(self) -> dict[str, int]:
        mine = self._mine()
        return {
            "conversations": sum(g.conversations for g in mine),
            "turns": sum(g.turns for g in mine),
            "alert_conversations": sum(g.alert_conversations for g in mine),
            "alert_turns": sum(g.turns for g in mine if g.triage in ALERT_LEVELS),
            "human_requests": sum(g.turns for g in mine if g.topic == "chat.human_handoff"),
            "unanswered_turns": sum(g.turns for g in mine if g.outcome in UNANSWERED),
        }

    def per_day(self) -> list[tuple[dt.date, dict[str, tuple[int, int]]]]:
        """For every day of the period: channel -> (conversations, turns)."""
        cells: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for g in self._mine():
            cell = cells[g.day][channel_label(g.channel)]
            cell[0] += g.conversation_days
            cell[1] += g.turns
        return [
            (day_start(d), {c: (v[0], v[1]) for c, v in sorted(cells.get(d, {}).items())}) for d in self.period.days()
        ]

    def channels(self) -> list[str]:
        return sorted({channel_label(g.channel) for g in self._mine()})

    def topics(self) -> list[tuple[str, int]]:
        """Topics asked about, most asked first; the conversation and alert topics are counted elsewhere."""
        counts = Counter()
        for g in self._mine():
            if g.topic and not g.topic.startswith("chat.") and g.topic != "triage.alert":
                counts[g.topic] += g.turns
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def topics_by_week(self, top: int = 8) -> tuple[list[dt.date], list[tuple[str, list[int]]]]:
        weeks = self.period.weeks()
        names = [t for t, _ in self.topics()[:top]]
        table = {t: [0] * len(weeks) for t in names}
        index = {w: i for i, w in enumerate(weeks)}
        for g in self._mine():
            if g.topic in table and g.week in index:
                table[g.topic][index[g.week]] += g.turns
        return [week_start(w) for w in weeks], [(t, table[t]) for t in names]

    def outcomes(self) -> list[tuple[str, int]]:
        counts = Counter()
        for g in self._mine():
            counts[g.outcome] += g.turns
        return [(o, counts[o]) for o in OUTCOMES]

    def triage_by_week(self) -> tuple[list[dt.date], list[tuple[str, list[int]]]]:
        return self._by_week(ALERT_LEVELS, lambda g: g.triage)

    def red_flags_by_week(self) -> tuple[list[dt.date], list[tuple[str, list[int]]]]:
        flags = sorted({g.red_flag or "unknown" for g in self._mine() if g.triage in ALERT_LEVELS})
        return self._by_week(flags, lambda g: (g.red_flag or "unknown") if g.triage in ALERT_LEVELS else None)

    def _by_week(self, keys: Iterable[str], key_of) -> tuple[list[dt.date], list[tuple[str, list[int]]]]:
        weeks = self.period.weeks()
        index = {w: i for i, w in enumerate(weeks)}
        table = {k: [0] * len(weeks) for k in keys}
        for g in self._mine():
            k = key_of(g)
            if k in table and g.week in index:
                table[k][index[g.week]] += g.turns
        return [week_start(w) for w in weeks], list(table.items())

    def after_alerts(self) -> list[tuple[str, dict[str, int]]]:
        """Per alert level: how many people left, asked again, or asked for a person next."""
        rows = []
        for level in ALERT_LEVELS:
            counts = {"left": 0, "asked again": 0, "asked for a person": 0}
            for g in self._mine():
                if g.triage != level:
                    continue
                if g.next_step == LEFT:
                    counts["left"] += g.turns
                elif g.next_step == PERSON:
                    counts["asked for a person"] += g.turns
                else:
                    counts["asked again"] += g.turns
            rows.append((level, counts))
        return rows

    def not_helped(self) -> list[tuple[str, int, int]]:
        """Answers followed by "that didn't help" or by the same question again: (topic, denied, repeated)."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for g in self._mine():
            if (
                g.outcome == ANSWERED
                and g.topic
                and not g.topic.startswith("chat.")
                and g.next_step in (DENIED, REPEATED)
            ):
                counts[g.topic][0 if g.next_step == DENIED else 1] += g.turns
        return sorted(((t, d, r) for t, (d, r) in counts.items()), key=lambda x: (-(x[1] + x[2]), x[0]))

    def human_requests_by_week(self) -> tuple[list[dt.date], list[tuple[str, list[int]]]]:
        return self._by_week(
            ["requests for a person"], lambda g: "requests for a person" if g.topic == "chat.human_handoff" else None
        )
