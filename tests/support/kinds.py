"""Table rows for the wording-kind tests in tests/safety: one sentence a row, its id naming the kind."""

from __future__ import annotations

import pytest


def level(detector, text: str) -> str:
    return detector.assess(text).level


def rows(kind: str, expected: str, *texts: str) -> list:
    """One table row a sentence, its id naming the kind."""
    return [pytest.param(text, expected, id=f"{kind}-{expected}-{n}") for n, text in enumerate(texts, 1)]
