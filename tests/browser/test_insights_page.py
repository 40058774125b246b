"""/admin/insights in Chromium on the real assistant: refused without the token, charts, channel filter.

The conversations are real: sent over REST (and one turn through the widget's
socket.io channel) to the running assistant, stored by its own tracker store.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from playwright.sync_api import Error as PlaywrightError

from bot.run.harness import start_assistant
from tests.support.widget_page import DESKTOP, REPLY_TIMEOUT_MS, REPORTS

TOKEN = "insights-" + uuid.uuid4().hex
ASKED = [
    ("what happens at my first massage appointment?", "rest"),
    ("can massage help my sciatica?", "rest"),
    ("what's the capital of peru", "rest"),
    ("my email is jo.bloggs@example.com, what is the weather", "rest"),
    ("I suddenly can't control my bladder and my groin is numb", "rest"),
]

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def assistant_with_admin(tmp_path_factory):
    running = start_assistant(tmp_path_factory.mktemp("insights"), extra_env={"BACKCARE_ADMIN_TOKEN": TOKEN})
    senders = []
    for text, _ in ASKED:
        sender = uuid.uuid4().hex
        senders.append(sender)
        running.ask(text, sender=sender)
    yield running, senders
    running.stack.stop()


def test_the_page_is_refused_without_the_right_token(assistant_with_admin):
    running, _ = assistant_with_admin
    url = f"{running.url}/admin/insights"
    for headers in ({}, {"Authorization": "Bearer wrong-token-xxxxxxxx"}, {"Authorization": "Basic !!!"}):
        reply = requests.get(url, headers=headers, timeout=30)
        assert reply.status_code == 401
        assert "Basic" in reply.headers["WWW-Authenticate"]
        assert reply.headers["Cache-Control"] == "no-store"
    assert requests.get(url + ".csv", timeout=30).status_code == 401
    good = requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert good.status_code == 200
    csp = good.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert good.headers["X-Content-Type-Options"] == "nosniff"
    assert good.headers["Referrer-Policy"] == "no-referrer"


def test_the_browser_asks_for_the_token_and_refuses_a_wrong_one(browser, assistant_with_admin):
    running, _ = assistant_with_admin
    for credentials in (None, {"username": "clinic", "password": "not-the-token"}):
        options = {"http_credentials": credentials} if credentials else {}
        context = browser.new_context(viewport=DESKTOP, **options)
        page = context.new_page()
        try:
            reply = page.goto(f"{running.url}/admin/insights")
        except PlaywrightError as exc:  # headless Chromium cannot ask, so it gives up on the 401 itself
            assert "ERR_INVALID_AUTH_CREDENTIALS" in str(exc)
        else:
            assert reply.status == 401
            assert "Clinic insights" not in page.content()
        context.close()


def show_channel(page, channel: str) -> None:
    """Choose a channel in the form and submit it, as a person would; wait for the new page.

    Polled rather than awaited with Playwright's navigation waiters, which never saw this
    page's load event under its Content-Security-Policy (no scripts at all)."""
    page.select_option("select[name=channel]", channel)
    page.click("button[type=submit]", no_wait_after=True)
    deadline = time.monotonic() + REPLY_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if f"channel={channel}" in page.url and page.evaluate("document.readyState") == "complete":
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the page for channel {channel} did not load: {page.url}")


def test_the_page_shows_charts_and_filters_by_channel(browser, assistant_with_admin):
    running, senders = assistant_with_admin
    context = browser.new_context(viewport=DESKTOP, http_credentials={"username": "clinic", "password": TOKEN})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    reply = page.goto(f"{running.url}/admin/insights")
    assert reply.status == 200
    charts = page.locator("figure img")
    assert charts.count() >= 6
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("alt")
        assert page.evaluate("(img) => img.naturalWidth", charts.nth(i).element_handle()) > 100  # CSP let it load
    cards = page.locator(".card")
    assert cards.filter(has_text="conversations").first.locator("b").inner_text() == str(len(ASKED))
    assert cards.filter(has_text="turns").first.locator("b").inner_text() == str(len(ASKED))
    assert int(cards.filter(has_text="alerts raised").locator("b").inner_text()) >= 1
    html = page.content()
    assert "jo.bloggs@example.com" not in html and "[email]" in html
    assert "bladder" not in html  # the emergency message is counted, never quoted
    assert all(sender not in html for sender in senders)
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / "insights-all-channels.png"), full_page=True)

    show_channel(page, "telegram")
    assert "No conversations in this period on this channel" in page.content()
    assert page.locator("figure img").count() == 0
    page.screenshot(path=str(REPORTS / "insights-telegram-empty.png"), full_page=True)

    show_channel(page, "rest")
    assert page.locator("figure img").count() >= 6
    assert page.locator(".card").filter(has_text="turns").first.locator("b").inner_text() == str(len(ASKED))
    page.screenshot(path=str(REPORTS / "insights-rest.png"), full_page=True)

    csv = page.request.get(f"{running.url}/admin/insights.csv?channel=rest")
    assert csv.status == 200 and csv.text().startswith("count,example,guessed_topic")
    assert "jo.bloggs@example.com" not in csv.text()
    assert not errors, errors
    context.close()
