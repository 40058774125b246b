"""Co-occurrence rules: a flag found from its parts, not from a fixed phrase.

A person whose cauda equina is compressed does not say "saddle anaesthesia";
they say "cant feel my bum when i wipe", "my privates r numb", "down below
feels dead". Listing every such phrase never ends (the first-pass numbers in
docs/safety.md show what that costs). A co-occurrence rule says instead: a
*body area* word and a *deficit* word in the same clause, close together, are
the flag, in either order, whatever sits between them:

    co_occur:
      - all: ["@saddle_area", "@sensation_loss"]
        within: 8

Each element is a small pattern of the lexicon's pattern language (usually a
term list). The combination counts when every element is found:

* in the same sentence, the whole span no longer than ``within`` tokens;
* with nothing between the elements that is a clause break (``barriers``:
  "but", ";", ".") or a denial (``gap_blockers``: "my legs are *not* numb",
  "legs are *fine*, no tingling"); a negation that is part of an element
  ("can't feel") is the symptom, not a denial;
* and no ``unless`` pattern of the rule anywhere in the sentence (an everyday
  reason: "legs are dead after *leg day*").

The span from the first element to the last becomes a flag span like any
other: idioms (shadows), ConText modifiers (negation before it, history,
hypotheticals, family) and companions apply to it unchanged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from .fastmatch import TokenPatternIndex
from .lexicon import CoOccurRule, Lexicon

MAX_COMBINATIONS = 256  # per rule and message: a chat message never needs more


@dataclass(frozen=True)
class _Rule:
    flag_id: str
    rule: CoOccurRule
    elements: Tuple[str, ...]
    unless: Tuple[str, ...]


class CoOccurrenceMatcher:
    """Finds the co-occurrence spans of every flag in a Doc."""

    PREFIX = "element\t"

    def __init__(self, lexicon: Lexicon, index: Optional[TokenPatternIndex] = None):
        """Register every element in ``index`` (the detector's shared one: one pass per
        message finds the flags' token patterns and the elements together) or in an
        index of its own."""
        self.settings = lexicon.co_occurrence
        self._own_index = index is None
        self._index = TokenPatternIndex() if index is None else index
        for element, seqs in lexicon.elements.items():
            self._index.add(self.PREFIX + element, [list(seq) for seq in seqs])
        self._rules: List[_Rule] = [
            _Rule(spec.id, rule, rule.elements, rule.unless) for spec in lexicon.flags for rule in spec.co_occur
        ]

    def __bool__(self) -> bool:
        return bool(self._rules)

    # ------------------------------------------------------------------ matching

    def find(self, doc, found: Optional[dict] = None) -> List[Tuple[str, int, int]]:
        """(flag id, start token, end token) of every combination that counts.

        ``found``: the shared index's matches for this doc, when the caller has them.
        """
        if not self._rules:
            return []
        if found is None or self._own_index:
            found = self._index(doc)
        prefix = self.PREFIX
        matches = {key[len(prefix) :]: spans for key, spans in found.items() if key.startswith(prefix)}
        if not matches:
            return []
        results: List[Tuple[str, int, int]] = []
        for rule in self._rules:
            per_element = [matches.get(e) for e in rule.elements]
            if not all(per_element):
                continue
            per_element = [_maximal(spans) for spans in per_element]
            candidates = []
            for combo in itertools.islice(itertools.product(*per_element), MAX_COMBINATIONS):
                span = self._valid(doc, combo, rule.rule.within)
                if span is None:
                    continue
                if rule.unless and self._unless(doc, span, rule.unless, matches):
                    continue
                candidates.append(span)
            for start, end in _shortest_disjoint(candidates):
                results.append((rule.flag_id, start, end))
        return results

    def _valid(self, doc, combo: Sequence[Tuple[int, int]], within: int) -> Optional[Tuple[int, int]]:
        parts = sorted(combo)
        for (_, prev_end), (next_start, _) in zip(parts, parts[1:]):
            if next_start < prev_end:  # two elements on the same words
                return None
        start, end = parts[0][0], max(e for _, e in parts)
        if end - start > within:
            return None
        covered = set()
        for s, e in parts:
            covered.update(range(s, e))
        barriers, blockers = self.settings.barriers, self.settings.gap_blockers
        for i in range(start, end):
            token = doc[i]
            if i > start and token.is_sent_start:
                return None  # another sentence
            if i not in covered and (token.lower_ in barriers or token.lower_ in blockers):
                return None
        return start, end

    @staticmethod
    def _unless(doc, span: Tuple[int, int], unless: Sequence[str], matches) -> bool:
        sent = doc[span[0]].sent
        for element in unless:
            for s, e in matches.get(element, ()):
                if sent.start <= s and e <= sent.end:
                    return True
        return False


def _maximal(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Drop spans that sit inside a longer one (``pins and needles`` keeps, ``needles`` goes)."""
    if len(spans) < 2:
        return spans
    spans = sorted(set(spans), key=lambda se: (se[0], -(se[1] - se[0])))
    kept: List[Tuple[int, int]] = []
    for s, e in spans:
        if any(ks <= s and e <= ke for ks, ke in kept):
            continue
        kept.append((s, e))
    return kept


def _shortest_disjoint(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """The shortest combinations first, none overlapping another (the tightest reading wins)."""
    kept: List[Tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda se: (se[1] - se[0], se[0])):
        if any(s < ke and ks < e for ks, ke in kept):
            continue
        kept.append((s, e))
    return kept
