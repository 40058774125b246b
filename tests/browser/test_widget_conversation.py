"""The widget in Chromium against the real assistant: answers, quick replies, persistence, reconnection.

What the widget shows is checked against what the assistant says over REST
for the same message, and against the conversation Rasa stored, so these
tests follow the assistant's content instead of hard-coding it.
"""

from __future__ import annotations

import json
import os
import re
import signal

import pytest

from bot.run.serve import wait_until_up
from tests.support.widget_page import REPLY_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

QUESTION = "will massage help my sciatica?"


def user_texts(assistant, session_id: str) -> list[str]:
    return [e.get("text") for e in assistant.tracker(session_id)["events"] if e.get("event") == "user"]


def topic_of(payload: str) -> str:
    return json.loads(payload[len("/ask_topic") :])["topic"]


def test_a_question_shows_the_answer_its_sources_and_quick_replies(widget, assistant):
    expected = assistant.ask(QUESTION)
    widget.goto().open().wait_online()

    answer = widget.ask(QUESTION)

    assert widget.user_messages.last.inner_text().strip().endswith(QUESTION)
    shown = answer.locator(".bcw-bubble").inner_text()
    assert expected.texts[0].split("\n\n")[0].strip() in shown
    titles = answer.locator(".bcw-sources li").all_inner_texts()
    listed = [re.sub(r"\s*\(opens in a new tab\)", "", t).strip() for t in titles]
    sources = expected.custom["sources"]
    assert len(listed) == len(sources)
    for text, source in zip(listed, sources, strict=True):
        assert text.startswith(source["title"]), (text, source)
    # Every source says what kind it is (guideline, health service, ...), next to its title.
    assert len(answer.locator(".bcw-sources .bcw-source-kind").all()) == len(sources)
    for link in answer.locator(".bcw-sources a").all():
        assert link.get_attribute("href").startswith("https://")
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
    assert widget.chips.all_inner_texts() == [b["title"] for b in expected.buttons]
    assert widget.page.locator(".bcw-disclaimer").is_visible()


def test_clicking_a_quick_reply_sends_its_payload_and_shows_its_title(widget, assistant):
    widget.goto().open().wait_online()
    widget.ask(QUESTION)
    chip = widget.chips.first
    title = chip.inner_text()
    before = widget.bot_messages.count()

    chip.click()
    widget.next_bot_message(before)

    assert widget.user_messages.last.inner_text().strip().endswith(title)
    stored = widget.stored()
    payload = next(b["payload"] for b in stored["messages"][-3]["quick_replies"] if b["title"] == title)
    assert user_texts(assistant, stored["sessionId"])[-1] == payload, "the server must get the payload, not the title"
    assert stored["messages"][-1]["custom"]["topic"] == topic_of(payload)


def test_typing_indicator_shows_while_the_assistant_answers(widget):
    widget.goto().open().wait_online()
    widget.page.evaluate(
        """() => {
            const typing = document.querySelector('#backcare-widget').shadowRoot.querySelector('.bcw-typing');
            window.__typingSeen = false;
            new MutationObserver(() => { if (!typing.hidden) window.__typingSeen = true; })
                .observe(typing, { attributes: true });
        }"""
    )
    widget.ask(QUESTION)
    assert widget.page.evaluate("window.__typingSeen") is True
    assert widget.page.locator(".bcw-typing").is_hidden()


def test_the_conversation_survives_a_reload_and_moving_to_another_page(widget, assistant):
    widget.goto().open().wait_online()
    widget.ask(QUESTION)
    before = widget.log.inner_text()
    session_id = widget.stored()["sessionId"]

    widget.page.reload()
    widget.wait_online()
    assert widget.panel.is_visible(), "the panel stays open after a reload"
    assert widget.log.inner_text() == before
    assert widget.stored()["sessionId"] == session_id

    widget.page.get_by_role("link", name="Treatments & prices").first.click()
    widget.page.wait_for_url(re.compile(r".*/treatments\.html$"))
    widget.wait_online()
    assert widget.log.inner_text() == before

    widget.ask("what should I do after a massage?")
    assert user_texts(assistant, session_id)[-2:] == [QUESTION, "what should I do after a massage?"], (
        "the server continues the same conversation"
    )


def test_talk_to_the_clinic_asks_for_the_clinics_contact_details(widget):
    widget.goto().open().wait_online()
    before = widget.bot_messages.count()
    widget.page.locator(".bcw-contact").click()
    widget.next_bot_message(before)
    assert widget.stored()["messages"][-1]["custom"]["topic"] == "chat.human_handoff"


def test_the_widget_reconnects_after_the_server_restarts(widget, assistant):
    widget.goto().open().wait_online()
    widget.ask(QUESTION)
    session_id = widget.stored()["sessionId"]
    port = int(assistant.url.rsplit(":", 1)[1])
    stack = assistant.stack

    old = stack.servers[port]
    os.killpg(old.pid, signal.SIGTERM)
    old.wait(timeout=30)
    widget.page.locator(".bcw[data-status='offline']").wait_for(timeout=REPLY_TIMEOUT_MS)

    # Typed while the server is down: sent once the connection is back.
    widget.send("what should I do after a massage?")
    process = stack.spawn_rasa(port)
    wait_until_up(f"{assistant.url}/", process, timeout=240)
    widget.wait_online()
    widget.wait_for_reply()
    assert widget.stored()["sessionId"] == session_id
    assert user_texts(assistant, session_id)[-2:] == [QUESTION, "what should I do after a massage?"]
