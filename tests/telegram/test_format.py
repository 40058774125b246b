"""Escaping, links, splitting at 4096 and button payloads, checked against Telegram's own rules."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answers import button_payload
from bot.core.topics import topics
from bot.rasa.channels.telegram_format import (
    MAX_CALLBACK_DATA,
    CallbackCodec,
    Keyboard,
    as_plain,
    emphasise,
    escape,
    render_message,
    split_plain,
    utf16_len,
)
from tests.telegram.standin import html_problem, visible


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "text",
    [
        "a < b",
        "x > y",
        "fish & chips",
        "<b>not bold</b>",
        "&amp; stays literal",
        "<a href='javascript:alert(1)'>x</a>",
        "5 < 6 && 7 > 3",
    ],
)
def test_escaped_text_parses_and_reads_as_written(text):
    rendered = escape(text)
    assert html_problem(rendered) is None
    assert visible(rendered, "HTML") == text


def test_sources_become_links_and_only_safe_urls_are_linked():
    sources = [
        {"title": "NHS: Back pain", "url": "https://www.nhs.uk/conditions/back-pain/"},
        {"title": 'Quotes " and <tags> & such', "url": 'https://example.org/a?b=1&c="2"'},
        {"title": "No link", "url": None},
        {"title": "Script", "url": "javascript:alert(1)"},
    ]
    [message] = render_message("Answer.", sources=sources)
    assert html_problem(message) is None
    links = re.findall(r'<a href="([^"]*)">', message)
    assert links == ["https://www.nhs.uk/conditions/back-pain/", "https://example.org/a?b=1&amp;c=&quot;2&quot;"]
    shown = visible(message, "HTML")
    for source in sources:
        assert source["title"] in shown
    assert 'href="javascript' not in message


def test_emphasis_bolds_the_number_without_breaking_escaping():
    rendered = emphasise("Call 999 now & don't wait <really>", "999")
    assert "<b>999</b>" in rendered
    assert html_problem(rendered) is None
    assert visible(rendered, "HTML") == "Call 999 now & don't wait <really>"


def _long_text() -> str:
    paragraph = " ".join(f"Sentence {i} says something about backs & <muscles>." for i in range(60))
    return "\n\n".join([paragraph] * 5)


def test_long_reply_is_split_into_valid_messages_at_paragraph_or_sentence_boundaries():
    text = _long_text()
    assert utf16_len(escape(text)) > 3 * 4096
    messages = render_message(text, sources=[{"title": "Source", "url": "https://example.org"}])
    assert len(messages) >= 4
    for message in messages:
        assert utf16_len(message) <= 4096
        assert html_problem(message) is None
        shown = visible(message, "HTML").strip()
        # Every cut falls after a sentence, never inside one.
        assert shown.endswith(".") or shown.endswith("Source"), shown[-40:]
    assert words(" ".join(visible(m, "HTML") for m in messages)) == words(text) + ["Sources", "•", "Source"]


def test_a_single_overlong_word_is_cut_and_nothing_is_lost():
    blob = "x" * 5000 + " & " + "y" * 5000
    messages = render_message(blob)
    assert all(utf16_len(m) <= 4096 and html_problem(m) is None for m in messages)
    assert "".join(visible(m, "HTML").replace("\n", "").replace(" ", "") for m in messages) == blob.replace(" ", "")


def test_length_is_counted_in_utf16_units_like_telegram():
    emoji_text = "🙂" * 3000  # 3000 characters, 6000 UTF-16 code units
    messages = render_message(emoji_text)
    assert len(messages) == 2
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert "".join(messages) == emoji_text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=9000))
def test_any_text_renders_to_valid_messages_within_the_limit(text):
    messages = render_message(text, limit=1000)
    for message in messages:
        assert utf16_len(message) <= 1000
        assert html_problem(message) is None
    assert "".join(words(" ".join(as_plain(m) for m in messages))) == "".join(words(text))


def test_split_plain_prefers_lines_then_sentences():
    text = "First line.\nSecond line is here. It has two sentences.\nThird."
    assert split_plain(text, 30) == ["First line.", "Second line is here.", "It has two sentences.", "Third."]


def test_topic_buttons_fit_callback_data_and_come_back_unchanged():
    codec = CallbackCodec()
    for topic in topics().all:
        payload = button_payload(topic)
        data = codec.encode(payload)
        assert len(data.encode()) <= MAX_CALLBACK_DATA
        assert codec.decode(data) == payload


def test_long_payloads_get_short_tokens_that_are_reversed_while_remembered():
    codec = CallbackCodec(remember=2)
    long_payloads = ['/ask_topic{"topic":"' + "a" * 80 + '"}', "/restart " + "ü" * 40, "/x" * 40]
    data = [codec.encode(p) for p in long_payloads]
    assert all(len(d.encode()) <= MAX_CALLBACK_DATA for d in data)
    assert len(set(data)) == 3
    assert codec.decode(data[1]) == long_payloads[1] and codec.decode(data[2]) == long_payloads[2]
    assert codec.decode(data[0]) is None  # forgotten: the oldest of three with room for two
    assert codec.decode(codec.encode("/affirm")) == "/affirm"


@pytest.mark.parametrize("forged", ["", "garbage", "t:../../etc", 't:a"}', "k:unknown"])
def test_unknown_callback_data_decodes_to_nothing(forged):
    assert CallbackCodec().decode(forged) is None


def test_keyboard_has_one_button_a_row_and_valid_data():
    buttons = [
        {"title": "What to expect", "payload": button_payload("session.what_to_expect")},
        {"title": "T" * 100, "payload": "/affirm"},
        {"title": "", "payload": "/deny"},
        {"title": "Site", "type": "web_url", "url": "https://example.org"},
    ]
    markup = Keyboard().markup(buttons)
    rows = markup["inline_keyboard"]
    assert [len(r) for r in rows] == [1, 1, 1]
    assert rows[0][0]["text"] == "What to expect"
    assert len(rows[1][0]["text"]) <= 64
    assert rows[2][0] == {"text": "Site", "url": "https://example.org"}
    assert json.dumps(markup)  # serialisable as sent
    assert Keyboard().markup([]) is None
