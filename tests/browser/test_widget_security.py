"""Text is text, links are only http(s)/tel, and pages from other origins cannot use the assistant."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.run.harness import free_port
from tests.support.widget_page import REPLY_TIMEOUT_MS, Widget, new_page

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

HOSTILE = "<img src=x onerror=alert(1)>"


def shadow_count(page, selector: str) -> int:
    return page.evaluate(
        "s => document.querySelector('#backcare-widget').shadowRoot.querySelectorAll(s).length", selector
    )


def test_html_typed_by_the_user_is_shown_as_text(widget):
    widget.goto().open().wait_online()
    widget.ask(HOSTILE)

    bubble = widget.user_messages.last.locator(".bcw-bubble")
    assert bubble.inner_text().strip().endswith(HOSTILE)
    assert shadow_count(widget.page, "img") == 0
    assert widget.page.locator("img").count() == 0
    widget.page.wait_for_timeout(500)  # a broken image's onerror would have fired by now
    assert widget.watch.dialogs == []
    # And again after a reload, when the stored history is rendered.
    widget.page.reload()
    widget.wait_online()
    assert widget.user_messages.last.locator(".bcw-bubble").inner_text().strip().endswith(HOSTILE)
    assert shadow_count(widget.page, "img") == 0
    assert widget.watch.dialogs == []


def test_hostile_content_from_the_server_is_rendered_safely(widget):
    """What a compromised or buggy server could send: markup in text, script URLs, a fake phone number."""
    widget.goto().open().wait_online()
    widget.page.evaluate(
        """() => {
            const w = window.BackcareWidget.widget;
            w.receive({id: 'h1', text: '<b>bold</b><img src=x onerror=alert(2)> see javascript:alert(3) or https://www.nhs.uk/conditions/sciatica/.',
                       quick_replies: [{title: '<i>chip</i>', payload: '/greet'}],
                       custom: {topic: 'condition.sciatica', triage: 'none', disclaimer: true,
                                sources: [{title: 'Evil', url: 'javascript:alert(4)'},
                                          {title: 'Data', url: 'data:text/html,<script>alert(5)</script>'},
                                          {title: 'NHS', url: 'https://www.nhs.uk/'}]}});
            w.receive({id: 'h2', text: 'Call now.',
                       custom: {topic: 'triage.alert', triage: 'emergency', sources: [], disclaimer: false,
                                call: 'javascript:alert(6)'}});
        }"""
    )
    widget.page.wait_for_timeout(500)
    assert shadow_count(widget.page, "b, i, img, script") == 0
    hrefs = widget.page.evaluate(
        "() => [...document.querySelector('#backcare-widget').shadowRoot.querySelectorAll('.bcw-log a')].map(a => a.href)"
    )
    assert hrefs == ["https://www.nhs.uk/conditions/sciatica/", "https://www.nhs.uk/"], hrefs
    assert "<b>bold</b>" in widget.log.inner_text()
    assert "Evil" in widget.log.inner_text(), "a source with a bad URL is still named, as text"
    assert widget.watch.dialogs == []


@pytest.fixture
def foreign_site(tmp_path, assistant, widget_built):
    """A page on another origin (a port the clinic did not list) that embeds the widget."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><body><h1>Not the clinic</h1>"
        f"<script src='{assistant.url}/webhooks/widget/backcare-widget.js' data-server-url='{assistant.url}'></script>"
        "</body></html>",
        encoding="utf-8",
    )
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_page_on_an_origin_not_listed_cannot_connect(browser, assistant, foreign_site):
    context, page, _ = new_page(browser, foreign_site)
    try:
        page.goto(foreign_site + "/")
        widget = Widget(page, assistant.url)
        widget.open()
        page.locator(".bcw[data-status='refused']").wait_for(timeout=REPLY_TIMEOUT_MS)
        widget.send("will massage help my sciatica?")
        page.wait_for_timeout(3000)
        assert widget.bot_messages.count() == 0
    finally:
        context.close()
