"""Shared fixtures: a real running assistant (action server + Rasa server) for end-to-end tests.

Tests that use a fixture standing for a server, a browser or a database are
marked here from the fixtures they ask for, so `make test-unit` leaves them
out without each module remembering to say so.
"""

from __future__ import annotations

import pytest

from bot.run.harness import Assistant, start_assistant
from tests.support.markers import marks_for


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        for mark in sorted(marks_for(set(getattr(item, "fixturenames", ())), callspec.params if callspec else {})):
            item.add_marker(mark)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    running = start_assistant(tmp_path_factory.mktemp("assistant"), api=True)  # tests read conversations back
    yield running
    running.stack.stop()
