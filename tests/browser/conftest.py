"""Chromium (Debian's, never a downloaded one) driving the widget on the demo page of the real assistant."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import settings
from tests.support.services import skip_or_fail
from tests.support.widget_page import CHROMIUM_ARGS, Widget, chromium_or_skip, new_page


@pytest.fixture(scope="session")
def widget_built() -> Path:
    built = settings.ROOT / "widget" / "dist" / "backcare-widget.js"
    if not built.is_file():
        skip_or_fail("widget/dist/backcare-widget.js is missing: run `make widget`")
    return built


# Package scope, not session: Playwright's sync API keeps an event loop running in
# the main thread until it is closed, which would break later tests that call asyncio.run().
@pytest.fixture(scope="package")
def browser():
    executable = chromium_or_skip()
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def widget(browser, assistant, widget_built):
    """A fresh browser profile (empty localStorage) on the demo page, widget open and connected."""
    context, page, watch = new_page(browser, assistant.url)
    w = Widget(page, assistant.url)
    w.watch = watch
    w.context = context
    yield w
    context.close()
    assert not watch.errors, f"script errors on the page: {watch.errors}"
