"""The spaCy pipeline under the detector: blank English, lookup lemmas, sentencizer.

No trained model is loaded (nothing is downloaded): ``spacy.blank("en")``, the
lookup lemmatizer whose tables come from the ``spacy-lookups-data`` package, and
spaCy's rule-based ``sentencizer`` (medspaCy's PyRuSH splitter costs about ten
times more per message and is not needed for chat-sized text).

Importing medspaCy has two side effects we undo here: PyRuSH logs through loguru
at DEBUG level, and medspaCy's matcher module silences *all* Python warnings for
the whole process. :func:`import_medspacy` disables the loguru loggers and puts
the warning filters back as they were.
"""

from __future__ import annotations

import warnings
from typing import Any, Tuple

_MEDSPACY: Tuple[Any, ...] | None = None


def quiet_loguru() -> None:
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        return
    for name in ("PyRuSH", "medspacy", "quickumls"):
        logger.disable(name)


def import_medspacy():
    """Import medspaCy's TargetMatcher, TargetRule, ConText and ConTextRule quietly."""
    global _MEDSPACY
    if _MEDSPACY is None:
        with warnings.catch_warnings():  # puts the process's filters back on the way out
            quiet_loguru()
            from medspacy.context import ConText, ConTextRule
            from medspacy.context.context import DEFAULT_RULES_FILEPATH
            from medspacy.ner import TargetMatcher, TargetRule
        quiet_loguru()
        _MEDSPACY = (TargetMatcher, TargetRule, ConText, ConTextRule, DEFAULT_RULES_FILEPATH)
    return _MEDSPACY


def build_nlp():
    """spacy.blank("en") + lookup lemmatizer + sentencizer (nothing downloaded)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()  # loads the lemma lookup tables from spacy-lookups-data
    return nlp
