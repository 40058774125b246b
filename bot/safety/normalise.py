"""Normalise a chat message before matching, keeping every offset valid.

People type "shiverin all nite", "pins n needles", "wat is", "sumthing". Rather
than write every flag pattern twice, the lexicon's ``spellings`` map such words
to the form the patterns use, and a word that drops its final "g" ("killin",
"peein", "tinglin") gets it back when the full form is a word of the lexicon
(so "cabin" or "within" are left alone). Curly quotes become straight ones and
the text is lower-cased.

Some dialect words need their neighbours (``spellings_in_context``): northern
"me" is "my" before a relation or a body word ("me dad", "me back") but never
after "give", "tell", "help", "for"...; "our lass" and "our kid" are a wife and
a brother, "our" before a first name ("our Sharon") a relative; "us" is "me"
after "off" ("weight's fallen off us"). Every ConText rule then reads them as
it reads "my dad".

The normalised text can be longer or shorter than the original, so
:class:`Normalised` keeps a map from every normalised character offset back to
the original text: a flag's ``start``/``end`` always point into what the person
typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ContextSpelling:
    """``word`` read as ``replacement`` when the next word is in ``before`` (or, with
    ``before_name``, a capitalised name), the previous one in ``after`` (when given) and
    not in ``not_after``. With ``joins_next`` the next word is replaced too ("our lass")."""

    word: str
    replacement: str
    before: frozenset = frozenset()
    after: frozenset = frozenset()
    not_after: frozenset = frozenset()
    before_name: bool = False
    joins_next: bool = False


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

    def __init__(
        self,
        spellings: Dict[str, str],
        vocabulary: frozenset,
        min_g_drop: int = 4,
        in_context: Sequence[ContextSpelling] = (),
    ):
        self.spellings = dict(spellings)
        self.vocabulary = vocabulary
        self.min_g_drop = min_g_drop
        self.in_context: Dict[str, List[ContextSpelling]] = {}
        for rule in in_context:
            self.in_context.setdefault(rule.word, []).append(rule)

    def _in_context(self, words: list, i: int, text: str, base: str) -> Optional[Tuple[str, int]]:
        """(replacement, index of the last word replaced) when a context spelling applies to words[i]."""
        rules = self.in_context.get(words[i].group(0).lower())
        if not rules:
            return None
        prev = words[i - 1].group(0).lower() if i > 0 else ""
        nxt = words[i + 1] if i + 1 < len(words) else None
        # the next word must follow in the same clause (only spaces between)
        if nxt is not None and base[words[i].end() : nxt.start()].strip():
            nxt = None
        for rule in rules:
            if rule.after and prev not in rule.after:
                continue
            if prev in rule.not_after:
                continue
            if rule.before or rule.before_name:
                if nxt is None:
                    continue
                word = text[nxt.start() : nxt.end()] if len(text) == len(base) else nxt.group(0)
                named = rule.before_name and word[:1].isupper() and word[1:].islower() and len(word) > 1
                if word.lower() not in rule.before and not named:
                    continue
            return rule.replacement, (i + 1 if rule.joins_next else i)
        return None

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
        words = list(_WORDS.finditer(base))
        skip_to = -1
        for i, match in enumerate(words):
            if i <= skip_to:
                continue
            word = match.group(0)
            start, end = match.span()
            contextual = self._in_context(words, i, text, base) if self.in_context else None
            if contextual is not None:
                replacement, last_word = contextual
                end = words[last_word].end()
                skip_to = last_word
            else:
                replacement = self._replacement(word.lower())
            if replacement is None or (replacement == word and contextual is None):
                continue
            changed = True
            pieces.append(base[last:start])
            mapping.extend(range(last, start))
            pieces.append(replacement)
            span = end - start
            # spread the replacement over the original word: its first char maps to the
            # word's start, and nothing maps past the word's end
            mapping.extend(start + min(k, span - 1) for k in range(len(replacement)))
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
