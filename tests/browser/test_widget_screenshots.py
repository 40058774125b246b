"""Screenshots of the open widget on the demo clinic page, for people to look at (reports/widget-*.png)."""

from __future__ import annotations

import pytest

from tests.support.widget_page import DESKTOP, PHONE, Widget, new_page

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.mark.parametrize("name, viewport, mobile", [("desktop", DESKTOP, False), ("mobile", PHONE, True)])
def test_screenshot_of_a_conversation(browser, assistant, widget_built, name, viewport, mobile):
    context, page, watch = new_page(browser, assistant.url, viewport=viewport, is_mobile=mobile, has_touch=mobile)
    try:
        widget = Widget(page, assistant.url).goto().open().wait_online()
        answer = widget.ask("will massage help my sciatica?")
        assert answer.locator(".bcw-sources a").count() > 0
        # Scrolled to the end, as a reader would: the sources and the quick replies in view.
        widget.log.evaluate("log => { log.scrollTop = log.scrollHeight; }")
        page.wait_for_timeout(300)
        path = widget.screenshot(f"widget-{name}.png")
        assert path.stat().st_size > 10_000
        assert not watch.errors
    finally:
        context.close()


def test_screenshot_of_an_emergency_reply(browser, assistant, widget_built):
    context, page, _ = new_page(browser, assistant.url)
    try:
        widget = Widget(page, assistant.url).goto().open().wait_online()
        alert = widget.ask("I suddenly can't feel my legs and can't pee")
        assert alert.get_attribute("role") == "alert"
        page.wait_for_timeout(300)
        widget.screenshot("widget-emergency.png")
    finally:
        context.close()
