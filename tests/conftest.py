"""Shared fixtures: a real running assistant (action server + Rasa server) for end-to-end tests."""
from __future__ import annotations

import os

import pytest

from bot.run.harness import Assistant, start_assistant

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    running = start_assistant(tmp_path_factory.mktemp("assistant"), api=True)  # tests read conversations back
    yield running
    running.stack.stop()
