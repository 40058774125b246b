"""The markers a test gets from its fixtures: what keeps service-bound tests out of `make test-unit`."""

from __future__ import annotations

import pytest

from tests.support.markers import FIXTURE_MARKS, marks_for


@pytest.mark.parametrize("fixture", sorted(FIXTURE_MARKS))
def test_every_service_fixture_keeps_its_tests_out_of_the_unit_loop(fixture):
    assert marks_for({fixture, "tmp_path"}, {}) & {"e2e", "browser", "services"}


def test_a_browser_page_on_the_assistant_is_both_browser_and_e2e():
    assert marks_for({"widget"}, {}) == {"browser", "e2e"}


@pytest.mark.parametrize("fixture", ["engine", "seeded"])
def test_only_the_postgresql_case_of_a_parametrised_store_needs_the_service(fixture):
    assert marks_for({fixture}, {fixture: "postgresql"}) == {"services"}
    assert marks_for({fixture}, {fixture: "sqlite"}) == set()


def test_plain_fixtures_add_no_marker():
    assert marks_for({"tmp_path", "monkeypatch", "detector"}, {}) == set()
