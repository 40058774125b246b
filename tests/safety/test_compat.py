"""bot.safety.compat: the medspaCy private attributes it relies on exist, and the switch turns the shortcut off."""

from __future__ import annotations

import pytest

from bot.safety import compat
from bot.safety.pipeline import build_nlp, import_medspacy
from tests.support.compat import run_with_stock_switch


def _components():
    TargetMatcher, _, ConText, _, _ = import_medspacy()
    nlp = build_nlp()
    return TargetMatcher(nlp, name="probe", result_type=None), ConText(nlp, rules=None)


def test_the_written_for_versions_are_installed():
    assert compat.enabled(), "medspaCy or spaCy changed: see docs/architecture.md, 'Upgrading Rasa'"


def test_each_private_path_leads_to_a_spacy_matcher_with_validation():
    from spacy.matcher import Matcher

    for component in _components():
        matcher = compat.spacy_matcher(component)
        assert isinstance(matcher, Matcher), type(component).__name__
        assert hasattr(matcher, "validate")
        assert compat.skip_pattern_revalidation(component) and matcher.validate is False


@pytest.mark.slow  # a process of its own
def test_with_the_stock_switch_validation_stays_on():
    script = (
        "from bot.safety import compat\n"
        "from tests.safety.test_compat import _components\n"
        "results = [compat.skip_pattern_revalidation(c) for c in _components()]\n"
        "assert results == [False, False], results\n"
        "assert all(compat.spacy_matcher(c).validate for c in _components())\n"
        "print('stock')"
    )
    result = run_with_stock_switch(script)
    assert result.returncode == 0 and "stock" in result.stdout, result.stderr[-2000:]
