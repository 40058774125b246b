"""Shared fixtures for the safety tests: one detector per test session (building one takes seconds)."""

from __future__ import annotations

import pytest

from bot.safety.detector import RedFlagDetector


@pytest.fixture(scope="session")
def detector() -> RedFlagDetector:
    return RedFlagDetector.from_yaml()


@pytest.fixture(scope="session")
def labelled_texts() -> list:
    from bot.safety.evaluate import load_labelled

    return [e.text for e in load_labelled()]
