"""Normalise a chat message before matching, keeping every offset valid.

People type "shiverin all nite", "pins n needles", "wat is", "sumthing". Rather
than write every flag pattern twice, the lexicon's ``spellings`` map such words
to the form the patterns use, and a word that drops its final "g" ("killin",
"peein", "tinglin") gets it back when the full form is a word of the lexicon
(so "cabin" or "within" are left alone). Curly quotes become straight ones and
the text is lower-cased.

The normalised text can be longer or shorter than the original, so
:class:`Normalised` keeps a map from every normalised character offset back to
the original text: a flag's ``start``/``end`` always point into what the person
typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Normalised:
    """The text to match and, when it differs in length from the original, the offset map back."""

    text: str
    to_original: Optional[List[int]] = None  # len(text) + 1 entries; None: offsets are the same

    def original(self, offset: int) -> int:
        if self.to_original is None:
            return offset
        return self.to_original[max(0, min(offset, len(self.to_original) - 1))]


class Normaliser:
    """Curly quotes, lower case, texting spellings and dropped g's; offsets kept."""

    def __init__(self, spellings: Dict[str, str], vocabulary: frozenset, min_g_drop: int = 4):
        self.spellings = dict(spellings)
        self.vocabulary = vocabulary
        self.min_g_drop = min_g_drop

    def _replacement(self, word: str) -> Optional[str]:
        replacement = self.spellings.get(word)
        if replacement is not None:
            return replacement
        if (
            len(word) >= self.min_g_drop
            and word.endswith("in")
            and word not in self.vocabulary
            and word + "g" in self.vocabulary
        ):
            return word + "g"
        return None

    def __call__(self, text: str) -> Normalised:
        text = text.translate(_QUOTES)
        lowered = text.lower()
        # only use the lower-cased text when it has the same length (offsets stay valid)
        base = lowered if len(lowered) == len(text) else text
        pieces: List[str] = []
        mapping: List[int] = []
        last = 0
        changed = False
        length_changed = False
        for match in _WORDS.finditer(base):
            word = match.group(0)
            replacement = self._replacement(word.lower())
            if replacement is None or replacement == word:
                continue
            changed = True
            start, end = match.span()
            pieces.append(base[last:start])
            mapping.extend(range(last, start))
            pieces.append(replacement)
            span = end - start
            # spread the replacement over the original word: its first char maps to the
            # word's start, and nothing maps past the word's end
            mapping.extend(start + min(i, span - 1) for i in range(len(replacement)))
            if len(replacement) != span:
                length_changed = True
            last = end
        if not changed:
            return Normalised(base)
        pieces.append(base[last:])
        mapping.extend(range(last, len(base)))
        mapping.append(len(base))
        out = "".join(pieces)
        return Normalised(out, mapping if length_changed else None)


def vocabulary_of(strings: Iterable[str]) -> frozenset:
    """Every lower-case word used by the lexicon (for the dropped-g rule)."""
    words = set()
    for s in strings:
        for w in _WORDS.findall(s.lower()):
            words.add(w)
    return frozenset(words)
