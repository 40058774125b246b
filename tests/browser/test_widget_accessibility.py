"""Keyboard-only use, the ARIA roles a screen reader relies on, readable contrast, the phone layout."""

from __future__ import annotations

import pytest

from tests.support.widget_page import PHONE, Widget, new_page

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# The focused element, looking inside the widget's shadow root.
FOCUSED = """() => {
    const host = document.querySelector('#backcare-widget');
    const el = document.activeElement === host ? host.shadowRoot.activeElement : document.activeElement;
    return el ? (el.className || el.tagName).toString() : '';
}"""


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def tab_to(page, css_class: str, limit: int = 40, backwards: bool = False) -> None:
    for _ in range(limit):
        if css_class in focused(page).split():
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"never reached .{css_class} with the keyboard; focus is on {focused(page)!r}")


def test_keyboard_only_use(widget):
    page = widget.page
    widget.goto().wait_online()

    tab_to(page, "bcw-launcher")
    page.keyboard.press("Enter")
    assert widget.panel.is_visible()
    assert "bcw-input" in focused(page), "opening the chat puts the cursor in the message box"

    page.keyboard.type("will massage help my sciatica?")
    before = widget.bot_messages.count()
    page.keyboard.press("Enter")
    widget.next_bot_message(before)
    assert "bcw-input" in focused(page)

    tab_to(page, "bcw-chip", backwards=True)
    title = page.evaluate("""() => document.querySelector('#backcare-widget').shadowRoot.activeElement.textContent""")
    before = widget.bot_messages.count()
    page.keyboard.press("Enter")
    widget.next_bot_message(before)
    assert widget.user_messages.last.inner_text().strip().endswith(title)
    assert "bcw-input" in focused(page), "after a quick reply the cursor goes back to the message box"

    page.keyboard.press("Escape")
    assert widget.panel.is_hidden()
    assert "bcw-launcher" in focused(page), "closing returns focus to the launcher"
    assert widget.launcher.get_attribute("aria-expanded") == "false"


def test_screen_reader_structure(widget):
    widget.goto()
    assert widget.launcher.get_attribute("aria-expanded") == "false"
    widget.open().wait_online()
    assert widget.launcher.get_attribute("aria-expanded") == "true"
    assert widget.panel.get_attribute("aria-labelledby") == "bcw-title"
    log = widget.page.locator(".bcw-log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    assert widget.page.get_by_role("button", name="Send").is_visible()
    assert widget.page.get_by_role("button", name="Close chat").is_visible()
    answer = widget.ask("will massage help my sciatica?")
    assert answer.evaluate("e => e.parentElement.getAttribute('role')") == "log", (
        "new messages are added inside the live region"
    )


CONTRAST = """() => {
    const root = document.querySelector('#backcare-widget').shadowRoot;
    const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
        for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    const selectors = ['.bcw-title', '.bcw-status', '.bcw-disclaimer', '.bcw-greeting .bcw-p',
        '.bcw-msg--user .bcw-bubble', '.bcw-msg--bot .bcw-bubble', '.bcw-sources a', '.bcw-sources-title',
        '.bcw-chip', '.bcw-contact', '.bcw-launcher', '.bcw-alert-title', '.bcw-alert-text', '.bcw-call'];
    const found = [];
    for (const s of selectors) {
        for (const el of root.querySelectorAll(s)) {
            if (!el.getClientRects().length) continue;
            const fg = parse(getComputedStyle(el).color).slice(0, 3);
            const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
            found.push([s, Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100]);
        }
    }
    return found;
}"""


@pytest.mark.parametrize("brand", [None, "#ffd54f", "#8a8a8a", "#e91e63"])
def test_text_keeps_readable_contrast_whatever_the_clinics_colour(browser, assistant, widget_built, brand):
    context, page, _ = new_page(browser, assistant.url)
    try:
        if brand:
            page.add_init_script(f"window.BackcareWidgetConfig = {{primaryColor: '{brand}', accentColor: '{brand}'}};")
        widget = Widget(page, assistant.url).goto().open().wait_online()
        widget.ask("will massage help my sciatica?")
        page.evaluate(
            """() => window.BackcareWidget.widget.receive({id: 'c1', text: 'Call now.',
                   custom: {topic: 'triage.alert', triage: 'emergency', sources: [], disclaimer: false, call: '999'}})"""
        )
        ratios = page.evaluate(CONTRAST)
        checked = {s for s, _ in ratios}
        assert {".bcw-msg--user .bcw-bubble", ".bcw-sources a", ".bcw-call", ".bcw-title"} <= checked, checked
        poor = [(s, r) for s, r in ratios if r < 4.5]
        assert not poor, f"below WCAG AA 4.5:1 with brand colour {brand}: {poor}"
    finally:
        context.close()


def test_phone_layout_uses_the_whole_screen(browser, assistant, widget_built):
    context, page, _ = new_page(browser, assistant.url, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        widget = Widget(page, assistant.url).goto()
        launcher = widget.launcher.bounding_box()
        assert (
            launcher["x"] + launcher["width"] <= PHONE["width"]
            and launcher["y"] + launcher["height"] <= PHONE["height"]
        )
        widget.open().wait_online()
        box = widget.panel.bounding_box()
        assert box["width"] == pytest.approx(PHONE["width"], abs=1)
        assert box["height"] == pytest.approx(PHONE["height"], abs=1)
        assert widget.launcher.is_hidden(), "the panel covers the launcher; its close button closes it"
        assert widget.input.bounding_box()["y"] + widget.input.bounding_box()["height"] <= PHONE["height"]
        page.get_by_role("button", name="Close chat").click()
        assert widget.panel.is_hidden() and widget.launcher.is_visible()
    finally:
        context.close()
