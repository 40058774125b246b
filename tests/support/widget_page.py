"""The widget in a real browser page, driven the way a person would drive it (Playwright, Debian's Chromium)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.core import settings
from tests.support.services import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REPORTS = settings.ROOT / "reports"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
REPLY_TIMEOUT_MS = 60_000


def chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    skip_or_fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")


@dataclass
class Watch:
    """What the page did that a test should know about: dialogs it opened, script errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Widget:
    """The widget on one page, driven the way a person would drive it."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.demo_url = f"{base_url}/webhooks/widget/"

    # -- places on the page (Playwright's CSS and role selectors pierce the open shadow root)
    @property
    def launcher(self):
        return self.page.locator(".bcw-launcher")

    @property
    def panel(self):
        return self.page.get_by_role("dialog")

    @property
    def input(self):
        return self.page.get_by_role("textbox", name="Your question")

    @property
    def log(self):
        return self.page.get_by_role("log")

    @property
    def bot_messages(self):
        return self.page.locator(".bcw-log > .bcw-msg--bot:not(.bcw-greeting), .bcw-log > .bcw-alert")

    @property
    def user_messages(self):
        return self.page.locator(".bcw-log > .bcw-msg--user")

    @property
    def chips(self):
        return self.page.locator(".bcw-quick .bcw-chip")

    def goto(self, path: str = "") -> "Widget":
        self.page.goto(self.demo_url + path)
        self.launcher.wait_for()
        return self

    def open(self) -> "Widget":
        if self.launcher.get_attribute("aria-expanded") != "true":
            self.launcher.click()
        self.panel.wait_for()
        return self

    def wait_online(self) -> "Widget":
        self.page.locator(".bcw[data-status='online']").wait_for(timeout=REPLY_TIMEOUT_MS)
        return self

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def ask(self, text: str):
        """Send `text` and wait for the next assistant message; returns its locator."""
        before = self.bot_messages.count()
        self.send(text)
        return self.next_bot_message(before)

    def next_bot_message(self, before: int):
        self.page.wait_for_function(
            """([selector, n]) => {
                const root = document.querySelector('#backcare-widget').shadowRoot;
                return root.querySelectorAll(selector).length > n;
            }""",
            arg=[".bcw-log > .bcw-msg--bot:not(.bcw-greeting), .bcw-log > .bcw-alert", before],
            timeout=REPLY_TIMEOUT_MS,
        )
        return self.bot_messages.nth(before)

    def wait_for_reply(self) -> None:
        """Until the stored conversation ends with an assistant message."""
        self.page.wait_for_function(
            """() => {
                const key = Object.keys(localStorage).find((k) => k.startsWith('backcare-widget:'));
                const messages = key ? JSON.parse(localStorage.getItem(key)).messages : [];
                return messages.length > 0 && messages[messages.length - 1].from === 'bot';
            }""",
            timeout=REPLY_TIMEOUT_MS,
        )

    def stored(self) -> dict:
        return self.page.evaluate(
            """() => {
                const key = Object.keys(localStorage).find((k) => k.startsWith('backcare-widget:'));
                return key ? JSON.parse(localStorage.getItem(key)) : null;
            }"""
        )

    def screenshot(self, name: str) -> Path:
        REPORTS.mkdir(parents=True, exist_ok=True)
        path = REPORTS / name
        self.page.screenshot(path=str(path))
        return path


def new_page(browser, assistant_url: str, viewport: dict | None = None, **context_options):
    # The demo page's Content-Security-Policy would also stop an injected script and
    # hide a rendering bug from the XSS tests (and it blocks Playwright's own
    # wait_for_function); the tests check the widget itself, the header is checked apart.
    context = browser.new_context(
        viewport=viewport or DESKTOP, base_url=assistant_url, bypass_csp=True, **context_options
    )
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    return context, page, watch
