"""A small token-pattern matcher for the co-occurrence elements: one pass per message.

spaCy's ``Matcher`` costs about 17 microseconds per call whatever it holds, and
the co-occurrence rules have some fifty elements (body areas, deficits, ...):
calling a Matcher per element would cost more than everything else the
detector does. The elements only use the small subset of spaCy's pattern
language that :mod:`bot.safety.patterns` writes (``LOWER`` as a string or an
``IN`` / ``NOT_IN`` list, ``LEMMA`` ``IN``, ``LIKE_NUM``, the empty wildcard
``{}`` and ``OP: "?"``), so this module indexes every pattern by the words its
first two tokens can be (by the first alone when the second is not a plain
word) and, for each position of the message, tries only the patterns that can
start there: "ca n't pee" is one lookup, not a trial of the hundreds of
patterns that start with some form of "can't".

It returns the same (key, start, end) matches as spaCy's Matcher for that
subset (tests/safety/test_cooccur.py checks it on the labelled set); anything
outside the subset is refused when the pattern is added.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Sequence, Set, Tuple

_KIND_ANY, _KIND_LOWER, _KIND_LOWER_IN, _KIND_LOWER_NOT_IN, _KIND_LEMMA_IN, _KIND_NUM = range(6)


class UnsupportedPattern(ValueError):
    """A token pattern outside the subset this matcher handles."""


def _compile_token(spec: dict) -> Tuple[int, object, bool]:
    """(kind, value, optional) for one spaCy token pattern dict."""
    spec = dict(spec)
    op = spec.pop("OP", None)
    if op not in (None, "?"):
        raise UnsupportedPattern(f"operator {op!r}")
    optional = op == "?"
    if not spec:
        return _KIND_ANY, None, optional
    if len(spec) != 1:
        raise UnsupportedPattern(f"token pattern {spec!r}")
    ((attr, value),) = spec.items()
    if attr == "LOWER":
        if isinstance(value, str):
            return _KIND_LOWER, value, optional
        if isinstance(value, dict) and set(value) == {"IN"}:
            return _KIND_LOWER_IN, frozenset(value["IN"]), optional
        if isinstance(value, dict) and set(value) == {"NOT_IN"}:
            return _KIND_LOWER_NOT_IN, frozenset(value["NOT_IN"]), optional
    if attr == "LEMMA" and isinstance(value, dict) and set(value) == {"IN"}:
        return _KIND_LEMMA_IN, frozenset(value["IN"]), optional
    if attr == "LIKE_NUM" and value is True:
        return _KIND_NUM, None, optional
    raise UnsupportedPattern(f"token pattern {spec!r}")


MAX_PAIRS = 2000  # word pairs one pattern may be indexed under (else: by its first word)


def _words(token) -> "frozenset | None":
    """The words a required LOWER token accepts, or None (anything else is checked per candidate)."""
    kind, value, optional = token
    if optional:
        return None
    if kind == _KIND_LOWER:
        return frozenset((value,))
    if kind == _KIND_LOWER_IN:
        return value
    return None


def _accepts(lower: str, lemma: str, like_num: bool, kind: int, value) -> bool:
    if kind == _KIND_LOWER:
        return lower == value
    if kind == _KIND_LOWER_IN:
        return lower in value
    if kind == _KIND_ANY:
        return True
    if kind == _KIND_LOWER_NOT_IN:
        return lower not in value
    if kind == _KIND_LEMMA_IN:
        return lemma in value
    return like_num  # _KIND_NUM


class TokenPatternIndex:
    """Patterns indexed by their first token; ``index(doc)`` finds every match in one pass."""

    def __init__(self) -> None:
        self._by_pair: Dict[Tuple[str, str], list] = defaultdict(list)
        self._by_lower: Dict[str, List[Tuple[str, tuple]]] = defaultdict(list)
        self._by_lemma: Dict[str, List[Tuple[str, tuple]]] = defaultdict(list)
        self._anywhere: List[Tuple[str, tuple, bool]] = []
        self._needs_lemma = False
        self._needs_num = False
        self.keys: Set[str] = set()

    def add(self, key: str, patterns: Sequence[Sequence[dict]]) -> None:
        self.keys.add(key)
        for pattern in patterns:
            tokens = tuple(_compile_token(spec) for spec in pattern)
            if not tokens or all(optional for _, _, optional in tokens):
                raise UnsupportedPattern("a pattern that can match nothing")
            self._needs_lemma |= any(kind == _KIND_LEMMA_IN for kind, _, _ in tokens)
            self._needs_num |= any(kind == _KIND_NUM for kind, _, _ in tokens)
            self._index(key, tokens)

    def _index(self, key: str, tokens: tuple) -> None:
        kind, value, optional = tokens[0]
        if optional:  # it may start here or one token later
            self._index(key, ((kind, value, False),) + tokens[1:])
            if any(not opt for _, _, opt in tokens[1:]):
                self._index(key, tokens[1:])
            return
        if len(tokens) > 1 and tokens[1][2]:  # an optional second token: index both readings
            kind2, value2, _ = tokens[1]
            self._index(key, (tokens[0], (kind2, value2, False)) + tokens[2:])
            self._index(key, (tokens[0],) + tokens[2:])
            return
        first, second = _words(tokens[0]), _words(tokens[1]) if len(tokens) > 1 else None
        if first is not None and second is not None and len(first) * len(second) <= MAX_PAIRS:
            rest = tokens[2:]
            entry = (key, rest, any(opt for _, _, opt in rest))
            for w1 in first:
                for w2 in second:
                    self._by_pair[(w1, w2)].append(entry)
            return
        # the first token is matched by the index itself; the rest is checked per candidate
        rest = tokens[1:]
        entry = (key, rest, any(opt for _, _, opt in rest))
        if kind == _KIND_LOWER:
            self._by_lower[value].append(entry)
        elif kind == _KIND_LOWER_IN:
            for word in value:
                self._by_lower[word].append(entry)
        elif kind == _KIND_LEMMA_IN:
            for lemma in value:
                self._by_lemma[lemma].append(entry)
        else:
            self._anywhere.append((key, tokens, any(opt for _, _, opt in tokens)))

    def __call__(self, doc) -> Dict[str, List[Tuple[int, int]]]:
        """{key: [(start, end), ...]} of every match (all lengths, like spaCy's Matcher)."""
        lowers = [t.lower_ for t in doc]
        n = len(lowers)
        by_pair, by_lower, by_lemma, anywhere = self._by_pair, self._by_lower, self._by_lemma, self._anywhere
        lemmas = [t.lemma_ for t in doc] if (by_lemma or self._needs_lemma) else lowers
        nums = [t.like_num for t in doc] if self._needs_num else None
        found: Dict[str, Set[Tuple[int, int]]] = defaultdict(set)
        arrays = (lowers, lemmas, nums, n)
        for i in range(n):
            for offset, candidates in (
                (2, by_pair.get((lowers[i], lowers[i + 1]), ()) if i + 1 < n else ()),
                (1, by_lower.get(lowers[i], ())),
                (1, by_lemma.get(lemmas[i], ()) if by_lemma else ()),
            ):
                for key, rest, has_optional in candidates:
                    if not has_optional:
                        end = _plain_end(arrays, rest, i + offset)
                        if end >= 0:
                            found[key].add((i, end))
                    else:
                        for end in _ends(arrays, rest, 0, i + offset):
                            found[key].add((i, end))
            for key, tokens, _ in anywhere:
                for end in _ends(arrays, tokens, 0, i):
                    found[key].add((i, end))
        return {key: sorted(spans) for key, spans in found.items()}


def _plain_end(arrays, tokens: tuple, i: int) -> int:
    """The end position if tokens (none optional) match from position i, else -1."""
    lowers, lemmas, nums, n = arrays
    for kind, value, _ in tokens:
        if i >= n or not _accepts(lowers[i], lemmas[i], nums[i] if nums is not None else False, kind, value):
            return -1
        i += 1
    return i


def _ends(arrays, tokens: tuple, t: int, i: int):
    """Every end position at which tokens[t:] matches from position i."""
    if t == len(tokens):
        yield i
        return
    lowers, lemmas, nums, n = arrays
    kind, value, optional = tokens[t]
    if optional:
        yield from _ends(arrays, tokens, t + 1, i)
    if i < n and _accepts(lowers[i], lemmas[i], nums[i] if nums is not None else False, kind, value):
        yield from _ends(arrays, tokens, t + 1, i + 1)
