"""The widget's session start (bot/rasa/channels/socketio.py): the limits it applies come from the server's settings."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import yaml

from bot.core.config import Settings, current, using
from bot.rasa.channels.socketio import GuardedSocketIOInput

PROJECT_CONTENT = Path(__file__).resolve().parents[2] / "content"


def session_start(session_id: str = "0123456789abcdef0123456789abcdef") -> dict[str, list]:
    """Run the channel's own `session_request` handler and collect what it emits, by event name."""
    channel = GuardedSocketIOInput.from_credentials({"session_persistence": True})

    async def on_new_message(_message) -> None:  # never called: no user message is sent
        raise AssertionError("no turn expected")

    channel.blueprint(on_new_message)
    sio = channel.sio
    emitted: dict[str, list] = {}

    async def emit(event, data=None, **_kwargs) -> None:
        emitted.setdefault(event, []).append(data)

    async def quiet(*_args, **_kwargs) -> None:
        return None

    sio.emit, sio.save_session, sio.enter_room = emit, quiet, quiet
    handler = sio.handlers[channel.namespace or "/"]["session_request"]
    asyncio.run(handler("sid-1", {"session_id": session_id}))
    return emitted


def test_the_session_confirmation_carries_the_settings_public_limits():
    emitted = session_start()
    (confirmation,) = emitted["session_confirm"]
    assert confirmation["session_id"] == "0123456789abcdef0123456789abcdef"
    assert confirmation["limits"] == current().limits.public()
    assert confirmation["limits"]["max_message_chars"] == current().limits.max_message_chars


def test_the_sent_limit_follows_channels_yml(tmp_path):
    shutil.copytree(PROJECT_CONTENT, tmp_path / "content")
    channels = tmp_path / "content" / "channels.yml"
    data = yaml.safe_load(channels.read_text(encoding="utf-8"))
    data["max_message_chars"] = data["max_message_chars"] + 123
    channels.write_text(yaml.safe_dump(data), encoding="utf-8")
    with using(Settings.from_env(os.environ, root=tmp_path)):
        (confirmation,) = session_start()["session_confirm"]
    assert confirmation["limits"]["max_message_chars"] == data["max_message_chars"]


def test_a_new_session_gets_a_fresh_id_and_the_limits_too():
    (confirmation,) = session_start(session_id="not-one-of-ours")["session_confirm"]
    assert confirmation["session_id"] != "not-one-of-ours" and len(confirmation["session_id"]) == 32
    assert confirmation["limits"] == current().limits.public()
