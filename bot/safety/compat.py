"""Every private part of medspaCy the red-flag detector relies on, and the versions it was written for.

The one shortcut: the spaCy Matcher inside medspaCy's ConText and
TargetMatcher is told not to re-validate each token pattern (about 0.6 ms a
pattern, over a hundred ConText rules, at every server start). It is reached
through name-mangled private attributes (`_ConText__matcher`,
`_TargetMatcher__matcher`, `_MedspacyMatcher__matcher`). On any other medspaCy
or spaCy version, or with `BACKCARE_STOCK_RASA=1`, validation stays on, which
is slower and gives the same matches. `bot.rasa.compat` does the same for Rasa;
this module is separate because `bot.safety` never imports `bot.rasa`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.core.versions import patches_allowed

WRITTEN_FOR = {"medspacy": "1.1.5", "spacy": "3.4."}
# component class name -> the chain of private attributes down to its spaCy Matcher
MATCHER_PATHS = {
    "ConText": ("_ConText__matcher", "_MedspacyMatcher__matcher"),
    "TargetMatcher": ("_TargetMatcher__matcher", "_MedspacyMatcher__matcher"),
}


@lru_cache(maxsize=1)
def enabled() -> bool:
    return patches_allowed("bot.safety.compat", WRITTEN_FOR)


def spacy_matcher(component: Any) -> Any:
    """The spaCy Matcher inside a medspaCy ConText or TargetMatcher, or None where it is not found."""
    obj = component
    for name in MATCHER_PATHS.get(type(component).__name__, ()):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj if obj is not component else None


def skip_pattern_revalidation(component: Any) -> bool:
    """Tell the spaCy Matcher inside `component` not to re-validate patterns; False when left as shipped.

    The lexicon's patterns come from bot.safety.patterns, which only writes
    LOWER / LEMMA / LIKE_NUM / OP keys, and tests/safety validate every
    compiled pattern against spaCy's schema once."""
    if not enabled():
        return False
    matcher = spacy_matcher(component)
    if matcher is None or not hasattr(matcher, "validate"):
        return False
    try:
        matcher.validate = False
    except (AttributeError, TypeError):  # pragma: no cover - a different spaCy
        return False
    return True
