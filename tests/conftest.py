"""Shared fixtures: a real running assistant (action server + Rasa server) for end-to-end tests.

Tests that use a fixture standing for a server, a browser or a database are
marked here from the fixtures they ask for, so `make test-unit` leaves them
out without each module remembering to say so.
"""
from __future__ import annotations

import os

import pytest

from bot.run.harness import Assistant, start_assistant

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# fixture name -> the markers a test that uses it gets
FIXTURE_MARKS = {
    "assistant": ("e2e",),
    "telegram": ("e2e",),
    "browser": ("browser",),
    "widget": ("browser", "e2e"),
    "production": ("e2e", "services"),
    "whole": ("e2e", "services"),
    "postgres_store": ("services",),
}
# Parametrised fixtures whose "postgresql" case needs the real database.
POSTGRES_PARAMETRISED = ("engine", "seeded")


def marks_for(fixtures: set[str], params: dict) -> set[str]:
    """The markers that the fixtures (and parameters) of one test call for."""
    marks = {mark for name in fixtures & FIXTURE_MARKS.keys() for mark in FIXTURE_MARKS[name]}
    if any(params.get(name) == "postgresql" for name in POSTGRES_PARAMETRISED):
        marks.add("services")
    return marks


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
