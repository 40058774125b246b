"""The widget's socket.io channel (bot/rasa/channels/socketio.py): its rules alone, then over the wire against the real server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import pytest
import requests
import socketio

from bot.core.clinic import clinic
from bot.rasa.channels import guard
from bot.rasa.channels.socketio import origin_allowed, served_file, valid_session_id, widget_message

QUESTION = "will massage help my sciatica?"


# ---- rules ------------------------------------------------------------------


def test_a_response_becomes_one_message_with_text_quick_replies_and_envelope():
    custom = {"topic": "condition.sciatica", "triage": "none", "sources": [], "disclaimer": True}
    message = widget_message(
        {"text": "First.\n\nSecond.", "buttons": [{"title": "T", "payload": "/greet"}], "custom": custom}
    )
    assert message["text"] == "First.\n\nSecond."
    assert message["quick_replies"] == [{"content_type": "text", "title": "T", "payload": "/greet"}]
    assert message["custom"] == custom
    assert len(message["id"]) == 32
    assert widget_message({}) == {}


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("http://localhost:5005", True),  # listed in content/clinic.yml
        ("http://127.0.0.1:7000", True),  # the server's own origin (Host below)
        ("http://127.0.0.1:7001", False),
        ("https://evil.example", False),
        ("null", False),
        (None, True),  # not a browser: the origin check has nothing to say
    ],
)
def test_origins(origin, allowed):
    environ = {"HTTP_HOST": "127.0.0.1:7000", "wsgi.url_scheme": "http"}
    assert origin_allowed(origin, environ, ("http://localhost:5005",)) is allowed


def test_only_the_demo_and_build_files_are_served():
    assert served_file("index.html") is not None
    assert served_file("site.css") is not None
    for name in ("../package.json", "..%2Fpackage.json", ".env", "package.json", "build.mjs", "index.HTML", ""):
        assert served_file(name) is None, name


def test_session_ids_must_look_like_the_ones_the_server_hands_out():
    assert valid_session_id("0123456789abcdef0123456789abcdef")
    for bad in (None, "", "user-1", "0123456789ABCDEF0123456789ABCDEF", "0" * 33, 42):
        assert not valid_session_id(bad)


# ---- over the wire ------------------------------------------------------------


class Client:
    """A socket.io client speaking the widget's protocol."""

    def __init__(self, url: str, origin: Optional[str]) -> None:
        self.url = url
        self.origin = origin
        self.sio = socketio.AsyncClient(reconnection=False)
        self.messages: asyncio.Queue = asyncio.Queue()
        self.session: asyncio.Future = asyncio.get_running_loop().create_future()
        self.sio.on("bot_uttered", self.messages.put_nowait)
        self.sio.on("session_confirm", self.confirmed)

    def confirmed(self, confirmation: dict) -> None:
        self.limits = confirmation["limits"]
        if not self.session.done():
            self.session.set_result(confirmation["session_id"])

    async def connect(self, session_id: Optional[str] = None) -> str:
        headers = {"Origin": self.origin} if self.origin else {}
        await self.sio.connect(
            self.url, headers=headers, transports=["polling"], wait_timeout=20
        )  # aiohttp 3.9 (Rasa's pin) is too old for its websocket client
        await self.sio.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.session, 20)

    async def say(self, text: str, session_id: Optional[str] = None) -> dict:
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})
        return await asyncio.wait_for(self.messages.get(), 60)

    async def close(self) -> None:
        # abort: don't sit out the long-poll that is still open (up to the 25 s ping interval)
        await self.sio.eio.disconnect(abort=True)


def run(coroutine):
    """asyncio.run in a thread of its own: the package's Playwright browser keeps an event loop running in
    the main thread while any browser test of the package may still come."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.e2e
def test_a_question_is_answered_with_the_envelope_under_custom(assistant):
    async def scenario():
        client = Client(assistant.url, clinic().allowed_origins[0])
        try:
            await client.connect()
            return await client.say(QUESTION)
        finally:
            await client.close()

    message = run(scenario())
    expected = assistant.ask(QUESTION)
    assert message["custom"] == expected.custom
    assert message["text"] == expected.texts[0]
    assert [q["title"] for q in message["quick_replies"]] == [b["title"] for b in expected.buttons]


@pytest.mark.e2e
def test_an_origin_not_listed_is_refused(assistant):
    async def scenario(origin: str):
        sio = socketio.AsyncClient(reconnection=False)
        outcome = asyncio.get_running_loop().create_future()
        sio.on("connect", lambda: outcome.done() or outcome.set_result("connected"))
        sio.on("connect_error", lambda data: outcome.done() or outcome.set_result(data))
        # connect() itself only gives up after a long wait; the event comes at once.
        attempt = asyncio.ensure_future(sio.connect(assistant.url, headers={"Origin": origin}, transports=["polling"]))
        try:
            return await asyncio.wait_for(outcome, 20)
        finally:
            attempt.cancel()
            await sio.eio.disconnect(abort=True)
            await asyncio.gather(attempt, return_exceptions=True)

    assert run(scenario("https://not-the-clinic.example")) == {"message": "Connection rejected by server"}
    assert run(scenario(clinic().allowed_origins[0])) == "connected"


@pytest.mark.e2e
def test_user_text_goes_through_the_guard(assistant):
    async def scenario():
        client = Client(assistant.url, None)
        try:
            await client.connect()
            return client.limits, await client.say("back " * 500)
        finally:
            await client.close()

    limits, message = run(scenario())
    assert limits == guard.limits().public() and len("back " * 500) > limits["max_message_chars"]
    assert message["custom"]["topic"] == "chat.fallback"
    assert "longer than I can read" in message["text"]


@pytest.mark.e2e
def test_a_socket_cannot_write_into_another_session(assistant):
    async def scenario():
        owner, intruder = Client(assistant.url, None), Client(assistant.url, None)
        try:
            victim = await owner.connect()
            own = await intruder.connect()
            await intruder.say("hello", session_id=victim)
            return victim, own
        finally:
            await owner.close()
            await intruder.close()

    victim, own = run(scenario())
    assert victim != own

    def said(session: str) -> list[str]:
        events = assistant.tracker(session)["events"]
        return [e.get("text") for e in events if e.get("event") == "user"]

    assert "hello" in said(own)
    assert "hello" not in said(victim)


@pytest.mark.e2e
def test_a_stored_session_is_resumed(assistant):
    async def scenario():
        first = Client(assistant.url, None)
        session = await first.connect()
        await first.say(QUESTION)
        await first.close()
        second = Client(assistant.url, None)
        try:
            return session, await second.connect(session)
        finally:
            await second.close()

    session, resumed = run(scenario())
    assert resumed == session


@pytest.mark.e2e
def test_the_demo_page_and_the_widget_are_served(assistant, widget_built):
    page = requests.get(f"{assistant.url}/webhooks/widget/", timeout=30)
    assert page.status_code == 200 and "backcare-widget.js" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    script = requests.get(f"{assistant.url}/webhooks/widget/backcare-widget.js", timeout=30)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert script.content == widget_built.read_bytes()
    assert requests.get(f"{assistant.url}/webhooks/widget/package.json", timeout=30).status_code == 404
    redirect = requests.get(f"{assistant.url}/webhooks/widget", timeout=30, allow_redirects=False)
    assert redirect.status_code in (301, 302) and redirect.headers["Location"].endswith("/webhooks/widget/")
