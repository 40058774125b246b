"""Red-flag replies in the widget: an alert block first, the number to call as a tel: link, no quick replies."""

from __future__ import annotations

import re

import pytest

from bot.core.clinic import clinic

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

EMERGENCY = "I suddenly can't feel my legs and can't pee"
URGENT = "I've had back pain for a week and now I have a fever and chills"


def rgb(css_color: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return r, g, b


def tel(number: str) -> str:
    return "tel:" + re.sub(r"[^+0-9]", "", number)


def test_an_emergency_shows_a_red_alert_with_the_number_to_call(widget, assistant):
    expected = assistant.ask(EMERGENCY).custom
    assert expected["triage"] == "emergency", "the assistant itself must treat this as an emergency"
    widget.goto().open().wait_online()
    widget.ask("will massage help my sciatica?")

    alert = widget.ask(EMERGENCY)

    assert alert.get_attribute("role") == "alert"
    assert "bcw-alert--emergency" in alert.get_attribute("class")
    call = alert.locator("a[href^='tel:']")
    assert call.get_attribute("href") == tel(expected["call"]) == tel(clinic().emergency_number)
    assert call.is_visible()
    r, g, b = rgb(alert.evaluate("e => getComputedStyle(e).borderLeftColor"))
    assert r > 150 and g < 80 and b < 80, "the alert is red"
    assert widget.chips.count() == 0, "no quick replies under an emergency reply"
    turn = widget.stored()["messages"]
    assert turn[-2]["from"] == "user" and turn[-1]["custom"]["triage"] == "emergency", (
        "the alert is the first thing the assistant says in its turn"
    )


def test_an_urgent_reply_is_styled_as_a_warning(widget, assistant):
    expected = assistant.ask(URGENT).custom
    assert expected["triage"] == "urgent", "the assistant itself must treat this as urgent"
    widget.goto().open().wait_online()

    alert = widget.ask(URGENT)

    assert alert.get_attribute("role") == "alert"
    assert "bcw-alert--urgent" in alert.get_attribute("class")
    assert alert.locator("a[href^='tel:']").get_attribute("href") == tel(expected["call"])
    r, g, b = rgb(alert.evaluate("e => getComputedStyle(e).borderLeftColor"))
    assert r > 150 and 50 < g < 150 and b < 60, "the warning is amber"
    assert widget.chips.count() == 0


def test_an_emergency_is_shown_first_even_when_it_arrives_after_other_messages(widget):
    """The widget's own ordering rule, fed the messages a turn could bring, in the worst order."""
    widget.goto().open().wait_online()
    widget.page.evaluate(
        """() => {
            const w = window.BackcareWidget.widget;
            w.connection.socket.disconnect();  // this turn stays in the page
            w.send('my back hurts and my legs are numb', 'my back hurts and my legs are numb');
            w.receive({id: 'a1', text: 'Massage can help many kinds of back pain.',
                       quick_replies: [{title: 'Types of massage', payload: '/ask_topic{"topic":"type.overview"}'}],
                       custom: {topic: 'benefit.pain_relief', triage: 'none', sources: [], disclaimer: true}});
            w.receive({id: 'a2', text: 'Call now.',
                       custom: {topic: 'triage.alert', triage: 'emergency', sources: [], disclaimer: false, call: '112'}});
        }"""
    )
    entries = widget.page.locator(".bcw-log > .bcw-msg").all()
    kinds = [e.get_attribute("class") for e in entries[-3:]]
    assert "bcw-msg--user" in kinds[0]
    assert "bcw-alert--emergency" in kinds[1], f"the alert must come right after the user's message: {kinds}"
    assert widget.chips.count() == 0
