"""Which markers a test gets from the fixtures it asks for (used by the hook in tests/conftest.py).

A fixture standing for a server, a browser or a database implies what the
test needs, so `make test-unit` can leave the test out without each module
remembering to mark itself.
"""

from __future__ import annotations

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
