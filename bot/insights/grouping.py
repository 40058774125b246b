"""Unanswered messages grouped by similar wording, so a clinician reads each question once.

The only part of the report that works on message texts in Python, and only on
the unanswered ones (a small set). Texts are masked before anything else, so
neither grouping nor the example shown can carry a phone number or a date.

Two messages are alike when their content words overlap by at least half
(Jaccard similarity of the word sets, after dropping common function words
and a plural "s"), which puts "does massage help with shingles" and "can
massage help shingles?" together and keeps "massage for shingles" apart from
"massage for my dog". Groups are formed greedily, most frequent wording first,
so the result does not depend on the order the messages came in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping, Optional

from bot.core.topics import topic_for
from bot.insights.masking import mask
from bot.insights.model import UnansweredGroup

SIMILAR = 0.5
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    """
a an the and or but if of to in on at for with about from by is are was were be been am do does did can could
would should will shall may might i me my you your it its this that there what which who how when why we our
they them he she his her so just any some have has had not no yes please hi hello hey get got im i'm it's
""".split()
)


def words(text: str) -> frozenset[str]:
    """The content words of a (masked) text."""
    found = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def guessed_topic(parse_data: Mapping) -> Optional[str]:
    """The first topic the classifier's ranking points at (the fallback itself skipped)."""
    entities: dict[str, list[str]] = defaultdict(list)
    for entity in parse_data.get("entities") or ():
        if isinstance(entity, Mapping) and entity.get("entity"):
            entities[str(entity["entity"])].append(str(entity.get("value")))
    ranking = list(parse_data.get("intent_ranking") or ())
    intent = parse_data.get("intent")
    for candidate in ([intent] if isinstance(intent, Mapping) else []) + ranking:
        if not isinstance(candidate, Mapping) or not candidate.get("name"):
            continue
        topic = topic_for(str(candidate["name"]), entities)
        if topic:
            return topic
    return None


def group_unanswered(messages: Iterable[tuple[str, Optional[str], str, Mapping]]) -> list[UnansweredGroup]:
    """(outcome, channel, text, parse data) rows -> groups, largest first."""
    by_wording: dict[str, list[tuple[str, Optional[str], Optional[str]]]] = defaultdict(list)
    for outcome, channel, text, parse_data in messages:
        masked = " ".join(mask(text).split())
        if masked:
            by_wording[masked].append((outcome, channel, guessed_topic(parse_data)))
    ordered = sorted(by_wording.items(), key=lambda item: (-len(item[1]), item[0].lower()))
    clusters: list[tuple[frozenset[str], list[str]]] = []
    for wording, _ in ordered:
        key = words(wording)
        for representative, members in clusters:
            if similarity(key, representative) >= SIMILAR:
                members.append(wording)
                break
        else:
            clusters.append((key, [wording]))
    groups = []
    for _, members in clusters:
        seen = [hit for wording in members for hit in by_wording[wording]]
        guesses = Counter(topic for _, _, topic in seen if topic)
        groups.append(
            UnansweredGroup(
                example=members[0],
                count=len(seen),
                outcomes=dict(Counter(outcome for outcome, _, _ in seen)),
                guessed_topic=guesses.most_common(1)[0][0] if guesses else None,
                channels=dict(Counter(channel or "unknown" for _, channel, _ in seen)),
                texts=tuple(members),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.example.lower()))
