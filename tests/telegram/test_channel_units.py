"""The channel's decisions that need no server: settings, reply order and the shape of what is sent."""

from __future__ import annotations

import pytest

from bot.core import settings
from bot.core.envelope import envelope
from bot.rasa.channels.telegram import TelegramChannel, chat_of, sender_id
from bot.rasa.channels.telegram_config import config_from, config_from_file
from bot.rasa.channels.telegram_format import Keyboard
from bot.rasa.channels.telegram_replies import in_sending_order, outgoing_for
from tests.telegram.standin import html_problem, visible

TOKEN = "123456:AAH-test_token"
ENV = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "s3cret-Value_1"}


def reply(text, triage="none", buttons=(), sources=(), call=None):
    custom = envelope("triage.alert" if triage != "none" else "about.massage", triage=triage, sources=sources)
    if call:
        custom["call"] = call
    return {"text": text, "buttons": list(buttons), "custom": custom}


# --- settings


def test_without_environment_variables_the_channel_is_disabled_not_broken():
    config = config_from({"token_env": "TELEGRAM_BOT_TOKEN"}, environ={})
    assert not config.enabled and "token" in config.problem


def test_a_token_without_a_secret_is_refused():
    config = config_from({}, environ={"TELEGRAM_BOT_TOKEN": TOKEN})
    assert not config.enabled and "secret" in config.problem


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "semi;colon"])
def test_secrets_telegram_would_reject_are_refused(secret):
    assert not config_from({}, environ={**ENV, "TELEGRAM_WEBHOOK_SECRET": secret}).enabled


def test_settings_come_from_the_named_variables():
    config = config_from(
        {"token_env": "MY_TOKEN", "secret_token_env": "MY_SECRET", "api_base_url_env": "MY_API"},
        environ={"MY_TOKEN": TOKEN, "MY_SECRET": "abc", "MY_API": "http://127.0.0.1:9/"},
    )
    assert config.enabled
    assert (config.token, config.secret_token, config.api_base_url, config.bot_id) == (
        TOKEN,
        "abc",
        "http://127.0.0.1:9",
        123456,
    )


def test_a_literal_or_substituted_value_wins_over_the_variable():
    config = config_from({"token": "${OTHER_TOKEN}", "secret_token": "lit"}, environ={**ENV, "OTHER_TOKEN": "99:zz"})
    assert (config.token, config.secret_token) == ("99:zz", "lit")


def test_the_committed_credentials_start_under_rasa_with_no_telegram_variables(monkeypatch):
    """Rasa's own loader reads credentials.yml; `${VAR}` there would stop the server when unset."""
    from rasa.core.run import create_http_input_channels

    for name in list(ENV) + ["TELEGRAM_API_BASE_URL", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_URL"]:
        monkeypatch.delenv(name, raising=False)
    channels = create_http_input_channels(None, str(settings.ROOT / "credentials.yml"))
    [telegram] = [c for c in channels if isinstance(c, TelegramChannel)]
    assert not telegram.config.enabled
    assert not config_from_file().enabled

    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    channels = create_http_input_channels(None, str(settings.ROOT / "credentials.yml"))
    [telegram] = [c for c in channels if isinstance(c, TelegramChannel)]
    assert telegram.config.enabled and telegram.config.token == TOKEN


# --- conversations


def test_conversation_ids_separate_group_members_and_lead_back_to_the_chat():
    assert sender_id(5, 5, False) == "telegram:5"
    assert sender_id(-1001, 7, True) == "telegram:-1001:7"
    assert chat_of("telegram:-1001:7") == -1001 and chat_of("telegram:5") == 5
    assert chat_of("rest-user") is None


# --- order and shape


def test_emergency_goes_first_then_urgent_then_the_rest_in_order():
    answer, greet = reply("Massage is..."), reply("Hello")
    urgent = reply("See a doctor today", triage="urgent", call="999")
    emergency = reply("Call 999 now", triage="emergency", call="999")
    assert in_sending_order([greet, answer, urgent, emergency]) == [emergency, urgent, greet, answer]
    assert in_sending_order([answer, greet]) == [answer, greet]


def test_an_emergency_reply_is_alone_with_the_number_and_no_buttons_or_sources():
    emergency = reply(
        "Please call 999 now or go to A&E.",
        triage="emergency",
        call="999",
        buttons=[{"title": "More", "payload": "/affirm"}],
    )
    [message] = outgoing_for(emergency, Keyboard())
    assert message.keyboard is None
    assert "<b>999</b>" in message.html
    assert html_problem(message.html) is None
    assert visible(message.html, "HTML") == "Please call 999 now or go to A&E."


def test_an_emergency_reply_without_the_number_in_its_text_gets_it_added():
    [message] = outgoing_for(reply("Get help straight away.", triage="emergency", call="112"), Keyboard())
    assert "112" in visible(message.html, "HTML")


def test_an_answer_carries_sources_and_the_keyboard_on_its_last_part():
    long_answer = "\n\n".join(["Paragraph about massage. " * 60] * 4)
    messages = outgoing_for(
        reply(
            long_answer,
            buttons=[{"title": "Types", "payload": "/affirm"}],
            sources=[{"title": "NHS", "url": "https://www.nhs.uk/"}],
        ),
        Keyboard(),
    )
    assert len(messages) > 1
    assert all(m.keyboard is None for m in messages[:-1])
    assert messages[-1].keyboard["inline_keyboard"][0][0]["text"] == "Types"
    assert '<a href="https://www.nhs.uk/">NHS</a>' in messages[-1].html
