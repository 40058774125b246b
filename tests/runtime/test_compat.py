"""bot.rasa.compat: every private part of Rasa it relies on is still there with the shape it assumes,
and with BACKCARE_STOCK_RASA=1 nothing is patched while a conversation still works."""

from __future__ import annotations

import inspect
import logging

import pytest
import rasa.shared.utils.validation as rasa_validation
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.socketio import SocketIOOutput
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.engine.training import graph_trainer, hooks
from rasa.shared.core.domain import Domain
from rasa.utils.tensorflow.models import RasaModel

from bot.core import versions
from bot.rasa import compat
from tests.support.compat import parameters, run_with_stock_switch


def test_the_written_for_versions_are_installed():
    assert compat.enabled(), f"{versions.mismatches(compat.WRITTEN_FOR)}: see docs/architecture.md, 'Upgrading Rasa'"


def test_the_patched_server_methods_have_the_assumed_signatures():
    assert parameters(RemoteAction._validate_action_result) == ["self", "result"]
    assert callable(RemoteAction.action_response_format_spec)
    stock_load = getattr(RasaModel.load, "__wrapped__", RasaModel.load)
    assert parameters(stock_load)[:4] == [
        "model_file_name",
        "model_data_example",
        "predict_data_example",
        "finetune_mode",
    ]
    for name in ("run_inference", "load_weights", "compile"):
        assert callable(getattr(RasaModel, name)), name
    assert parameters(rasa_validation.validate_training_data) == ["json_data", "schema"]
    # GraphTrainer.train builds its hooks from this module-level name, with these keywords
    assert parameters(hooks.TrainingHook.__init__) == ["self", "cache", "model_storage", "pruned_schema"]
    assert "TrainingHook(" in inspect.getsource(graph_trainer.GraphTrainer.train)


def test_the_tracker_store_internals_have_the_assumed_shape(tmp_path):
    assert parameters(SQLTrackerStore._additional_events) == ["self", "session", "tracker"]
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    for name in ("engine", "sessionmaker", "session_scope", "SQLEvent", "stream_events"):
        assert hasattr(store, name), name
    inner = InMemoryTrackerStore(Domain.empty())
    assert compat.wrapped_tracker_store(FailSafeTrackerStore(inner)) is inner


def test_the_nlg_and_socketio_internals_have_the_assumed_shape():
    stock = TemplatedNaturalLanguageGenerator.__dict__["_fill_response"]
    assert parameters(stock) == ["self", "response", "filled_slots", "kwargs"]
    assert parameters(TemplatedNaturalLanguageGenerator.generate) == [
        "self",
        "utter_action",
        "tracker",
        "output_channel",
        "kwargs",
    ]
    output = SocketIOOutput(object(), "bot_uttered")
    assert output.sio is not None and output.bot_message_evt == "bot_uttered"


def test_another_version_turns_the_patches_off_with_one_warning(monkeypatch, caplog):
    monkeypatch.setitem(compat.WRITTEN_FOR, "rasa", "9.9.9")
    with caplog.at_level(logging.WARNING):
        assert versions.patches_allowed("bot.rasa.compat", compat.WRITTEN_FOR, environ={}) is False
    [record] = [r for r in caplog.records if "rasa" in r.getMessage()]
    assert "written for 9.9.9" in record.getMessage()


STOCK_RUN = """
import asyncio
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.core.clinic import clinic
from bot.rasa import compat, server
from bot.rasa.nlg import ClinicNLG
from bot.rasa.tracker_store import LeanSQLTrackerStore

assert not compat.enabled()
assert server.install() is False and not compat.server_patches_applied()
assert RemoteAction._validate_action_result.__module__ == "rasa.core.actions.action"
import rasa.shared.utils.validation
assert rasa.shared.utils.validation.validate_training_data.__module__ == "rasa.shared.utils.validation"
from rasa.engine.training import graph_trainer, hooks
assert graph_trainer.TrainingHook is hooks.TrainingHook
assert "_fill_response" not in ClinicNLG.__dict__

domain = Domain.from_yaml('''
version: "3.1"
intents: [greet]
responses:
  utter_greet: [{text: "Hello from {clinic_name}"}]
''')
store = LeanSQLTrackerStore(domain, dialect="sqlite", db=DB)
assert store.lean is False

async def turn():
    tracker = await store.retrieve("me") or DialogueStateTracker("me", domain.slots)
    tracker.update(UserUttered("hi", {"name": "greet", "confidence": 1.0}))
    reply = await ClinicNLG(domain=domain).generate("utter_greet", tracker, "rest")
    tracker.update(ActionExecuted("utter_greet"))
    await store.save(tracker)
    return reply, await store.retrieve("me")

reply, stored = asyncio.run(turn())
assert reply["text"] == "Hello from " + clinic().name, reply
assert [e.type_name for e in stored.events][-2:] == ["user", "action"], stored.events
print("stock turn ok")
"""


@pytest.mark.slow  # a Rasa process of its own
def test_with_the_stock_switch_nothing_is_patched_and_a_turn_still_works(tmp_path):
    script = f"DB = {str(tmp_path / 'conversations.db')!r}\n" + STOCK_RUN
    result = run_with_stock_switch(script)
    assert result.returncode == 0 and "stock turn ok" in result.stdout, result.stderr[-3000:]
