"""Fact-base fixtures: the same tests run on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.core import settings
from tests.support.services import PG_ADMIN_URL, skip_or_fail


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'facts.db'}", future=True)
        yield eng
        eng.dispose()
        return
    name = f"backcare_facts_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any driver error means the same here
        skip_or_fail(f"PostgreSQL not reachable: {exc}")
    eng = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", future=True)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def content_copy(tmp_path) -> tuple[Path, Path]:
    """A private copy of the facts and sources that a test may edit."""
    facts = tmp_path / "facts"
    shutil.copytree(settings.FACTS_DIR, facts)
    sources = tmp_path / "sources.yml"
    shutil.copy(settings.SOURCES_FILE, sources)
    return facts, sources


@pytest.fixture
def regions_copy(tmp_path) -> Path:
    """A private copy of the region packs that a test may edit."""
    regions = tmp_path / "regions"
    shutil.copytree(settings.REGIONS_DIR, regions)
    return regions
