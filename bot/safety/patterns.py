"""Compile the lexicon's compact token patterns into spaCy Matcher patterns.

The lexicon (content/red_flags.yml) writes token patterns as short strings so a
clinician can review them. A pattern string is a sequence of items separated by
spaces; every item matches one or more tokens of the lower-cased message:

``word``            the token ``word`` (compared on LOWER)
``a|b|c``           any one of the alternatives
``unable+to``       ``+`` joins words inside one alternative: ``unable to``
``@name``           any entry of the named term list (``terms:`` in the YAML); each
                    entry is itself a small pattern (``ca|can|could n't|nt|not``);
                    it can be mixed with words: ``@pee|poo|wipe``
``~lemma|lemma2``   a token whose lemma is one of these (lookup lemmatizer)
``_``               any single token
``!@name``          any single token that is NOT a word of that term list (a gap
                    that cannot cross a negation or a clause: ``!@barrier?``)
``%num``            a number-like token (``6``, ``six``); also as an alternative: ``%num|a|few``
``?`` suffix        the item is optional: ``my?``, ``@poss?``, ``_?``

Alternatives are tokenised with the same tokenizer as the messages, so
``can't`` becomes ``ca n't`` exactly as it will in a message. Items whose
alternatives are several tokens long are expanded into several spaCy patterns
(one per combination); a pattern that would expand into more than
``MAX_EXPANSIONS`` spaCy patterns is refused so the lexicon stays reviewable.

A ``cache`` dict may be passed to share the compiled ``@name`` term lists
between patterns: the lexicon uses the same few lists hundreds of times, and
compiling each once makes loading it several times cheaper.
"""

from __future__ import annotations

import itertools
from typing import Callable, Dict, List, Mapping, Optional, Sequence

MAX_EXPANSIONS = 1000

TokenDict = Dict[str, object]
Sequence_ = List[TokenDict]


class PatternError(ValueError):
    """A pattern string in the lexicon cannot be compiled."""


def _split_alternatives(item: str) -> List[str]:
    alternatives = [alt.replace("+", " ").strip() for alt in item.split("|")]
    if any(not alt for alt in alternatives):
        raise PatternError(f"empty alternative in {item!r}")
    return alternatives


def _merge_single_tokens(seqs: List[Sequence_]) -> List[Sequence_]:
    """Fold one-token plain LOWER alternatives into a single ``{"LOWER": {"IN": [...]}}``."""
    words: List[str] = []
    rest: List[Sequence_] = []
    for seq in seqs:
        if (
            len(seq) == 1
            and set(seq[0]) == {"LOWER"}
            and (not isinstance(seq[0]["LOWER"], dict) or "IN" in seq[0]["LOWER"])
        ):
            value = seq[0]["LOWER"]
            for w in value["IN"] if isinstance(value, dict) else [value]:
                if w not in words:
                    words.append(w)
        elif seq not in rest:
            rest.append(seq)
    merged: List[Sequence_] = []
    if words:
        merged.append([{"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": words}}])
    return merged + rest


def _term_alternatives(
    name: str,
    terms: Mapping[str, Sequence[str]],
    tokenize: Callable[[str], List[str]],
    depth: int,
    cache: Optional[dict],
) -> List[Sequence_]:
    """Every token sequence of the term list ``@name`` (each entry is itself a pattern)."""
    if name not in terms:
        raise PatternError(f"unknown term list @{name}")
    if cache is not None and ("@", name) in cache:
        return cache[("@", name)]
    if depth > 4:
        raise PatternError(f"term lists nested too deeply at @{name}")
    seqs: List[Sequence_] = []
    for entry in terms[name]:
        seqs.extend(compile_pattern(entry, terms, tokenize, depth + 1, cache=cache))
    if cache is not None:
        cache[("@", name)] = seqs
    return seqs


def _item_alternatives(
    item: str,
    terms: Mapping[str, Sequence[str]],
    tokenize: Callable[[str], List[str]],
    depth: int = 0,
    cache: Optional[dict] = None,
) -> List[Sequence_]:
    """All token sequences one item may stand for (``[]`` = matches nothing)."""
    optional = item.endswith("?") and len(item) > 1
    if optional:
        item = item[:-1]

    if item == "_":
        seqs: List[Sequence_] = [[{}]]
    elif item.startswith("!@"):
        name = item[2:]
        if name not in terms:
            raise PatternError(f"unknown term list @{name}")
        words = []
        for entry in terms[name]:
            for alt in _split_alternatives(entry):
                words.extend(w.lower() for w in ([alt] if alt.startswith("'") else tokenize(alt.lower())))
        seqs = [[{"LOWER": {"NOT_IN": sorted(set(words))}}]]
    elif item.startswith("~"):
        lemmas = _split_alternatives(item[1:])
        seqs = [[{"LEMMA": {"IN": lemmas}}]]
    else:
        alternatives: List[str] = []
        seqs = []
        for alt in _split_alternatives(item):
            if alt == "%num":
                seqs.append([{"LIKE_NUM": True}])
            elif alt.startswith("@"):
                # every entry of a term list is itself a (small) pattern
                seqs.extend(_term_alternatives(alt[1:], terms, tokenize, depth, cache))
            else:
                alternatives.append(alt)
        for alt in alternatives:
            # a lone contraction ("'m", "'ve") tokenises differently from inside a sentence
            words = [alt.lower()] if alt.startswith("'") and " " not in alt else tokenize(alt.lower())
            if not words:
                raise PatternError(f"alternative {alt!r} has no tokens")
            seqs.append([{"LOWER": w} for w in words])
        seqs = _merge_single_tokens(seqs)

    if optional:
        if len(seqs) == 1 and len(seqs[0]) == 1:
            token = dict(seqs[0][0])
            token["OP"] = "?"
            return [[token]]
        seqs = seqs + [[]]
    return seqs


def compile_pattern(
    pattern: str,
    terms: Mapping[str, Sequence[str]],
    tokenize: Callable[[str], List[str]],
    depth: int = 0,
    cache: Optional[dict] = None,
) -> List[Sequence_]:
    """Compile one pattern string into a list of spaCy token patterns."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError(f"pattern must be a non-empty string, got {pattern!r}")
    items = pattern.split()
    per_item = [_item_alternatives(item, terms, tokenize, depth, cache) for item in items]
    total = 1
    for alts in per_item:
        total *= len(alts)
    if total > MAX_EXPANSIONS:
        raise PatternError(f"pattern {pattern!r} expands into {total} spaCy patterns (max {MAX_EXPANSIONS}); split it")
    compiled: List[Sequence_] = []
    seen = set()
    for combo in itertools.product(*per_item):
        seq = [dict(tok) for part in combo for tok in part]
        if depth == 0 and (not seq or all(tok.get("OP") == "?" for tok in seq)):
            raise PatternError(f"pattern {pattern!r} can match an empty span")
        key = repr(seq)
        if key not in seen:
            seen.add(key)
            compiled.append(seq)
    return compiled
