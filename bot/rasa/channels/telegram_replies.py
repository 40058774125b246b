"""What one Telegram turn sends: the assistant's replies in sending order and in Telegram's form.

Kept apart from the channel (bot.rasa.channels.telegram), which owns the
webhook, the per-chat order and the Bot API calls: this module only decides
what goes out, so it can be read and tested without a running channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from rasa.core.channels.channel import OutputChannel

from bot.core.clinic import clinic
from bot.core.config import current
from bot.core.envelope import envelope
from bot.core.levels import EMERGENCY, NONE, URGENT
from bot.rasa.channels.telegram_format import Keyboard, render_message

TEXTS_FILE = Path(__file__).with_name("telegram.yml")
# Replies at these levels go out first and alone, most urgent first.
ALARM_ORDER = {EMERGENCY: 0, URGENT: 1}


def texts() -> dict[str, Any]:
    """The channel's own wording (telegram.yml beside this module), read once per settings."""
    s = current()
    return s.cached(TEXTS_FILE, lambda: s.read_yaml(TEXTS_FILE))


# --- one turn's replies -------------------------------------------------------------------


class TurnCollector(OutputChannel):
    """Keeps each Rasa response whole (text, buttons and envelope together) until the turn ends.

    Rasa's CollectingOutputChannel splits texts at blank lines and separates
    the envelope from its text; the channel needs them together to decide
    the order and the form of what it sends.
    """

    def __init__(self) -> None:
        self.replies: list[dict] = []

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.replies.append(
            {
                "text": message.get("text") or "",
                "buttons": message.get("buttons") or message.get("quick_replies") or [],
                "custom": message.get("custom") if isinstance(message.get("custom"), dict) else None,
            }
        )

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


def triage_of(reply: dict) -> str:
    custom = reply.get("custom") or {}
    return custom.get("triage") if isinstance(custom.get("triage"), str) else NONE


def in_sending_order(replies: Iterable[dict]) -> list[dict]:
    """Emergency replies first, then urgent ones, then the rest as the assistant said them."""
    replies = list(replies)
    alarms = sorted((r for r in replies if triage_of(r) in ALARM_ORDER), key=lambda r: ALARM_ORDER[triage_of(r)])
    return alarms + [r for r in replies if triage_of(r) not in ALARM_ORDER]


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send."""

    html: str
    keyboard: Optional[dict] = None


def outgoing_for(reply: dict, keyboard: Keyboard) -> list[Outgoing]:
    """The messages one reply becomes: an alarm alone with its number, others with sources and buttons."""
    text = reply.get("text") or ""
    custom = reply.get("custom") or {}
    if triage_of(reply) in ALARM_ORDER:
        number = str(custom.get("call") or clinic().emergency_number)
        extra = [] if number in text else [texts()["call_line"].format(emergency_number=number)]
        return [Outgoing(html) for html in render_message(text, emphasis=number, extra_lines=extra)]
    sources = custom.get("sources") if isinstance(custom.get("sources"), list) else []
    chunks = render_message(text, sources=sources)
    if not chunks:
        return []
    markup = keyboard.markup(reply.get("buttons") or [])
    return [Outgoing(html) for html in chunks[:-1]] + [Outgoing(chunks[-1], markup)]


# --- /start and /help -----------------------------------------------------------------


def command_reply(command: str) -> dict:
    """/start and /help answered from the assistant's own content, not sent to Rasa as intents.

    The about.assistant fact is read from content/ YAML, so the Rasa server needs no fact database."""
    from bot.core.answers import answer_topic, follow_up_buttons
    from bot.core.facts.content_repository import content_repository

    c = clinic()
    about = answer_topic("about.assistant", repository=content_repository())
    body = about.text[: -len(c.disclaimer)].rstrip() if about.text.endswith(c.disclaimer) else about.text
    if command == "start":
        greeting = texts()["start_greeting"].format(clinic_name=c.name)
        return {
            "text": f"{greeting}\n\n{body}\n\n{c.disclaimer}",
            "buttons": follow_up_buttons(tuple(texts()["start_topics"])),
            "custom": envelope("chat.greet", sources=(), disclaimer=True),
        }
    return {
        "text": f"{body}\n\n{texts()['help_footer']}\n\n{c.disclaimer}",
        "buttons": about.buttons,
        "custom": about.custom,
    }
