"""bot.rasa.server: Rasa 3.6 with its per-turn and start-up costs removed, and nothing else changed.

Each fix must leave Rasa's behaviour exactly as it was: the same action-reply
validation and errors, and the same predictions from the same model.
"""

from __future__ import annotations

import asyncio
import os

import pytest
import rasa.shared.utils.validation as rasa_validation
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.engine.training import graph_trainer, hooks
from rasa.shared.exceptions import SchemaValidationError
from rasa.shared.nlu.training_data import entities_parser
from rasa.shared.nlu.training_data.schemas.data_schema import entity_dict_schema
from rasa.utils.tensorflow.models import RasaModel

from bot.rasa import server as rasa_server
from bot.run.model import ensure_model
from bot.tools.labelled import labelled


def _install_until_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixes installed from here on, and Rasa as it was after the test."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(RasaModel, "load", RasaModel.load)
    monkeypatch.setattr(rasa_validation, "validate_training_data", rasa_validation.validate_training_data)
    monkeypatch.setattr(graph_trainer, "TrainingHook", graph_trainer.TrainingHook)
    monkeypatch.setattr(RemoteAction, "_backcare_fixed", False, raising=False)
    rasa_server.install()


@pytest.fixture
def fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    _install_until_teardown(monkeypatch)


VALID_REPLY = {
    "events": [{"event": "slot", "name": "last_topic", "value": "session.pressure"}],
    "responses": [{"text": "hello", "buttons": [], "custom": {"triage": "none"}}],
}


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "no_such_event"}]},
        {"events": "not a list"},
        {"responses": ["not an object"]},
    ],
)
def test_invalid_action_replies_are_still_rejected_with_rasas_error(fixed, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_answer", None)._validate_action_result(reply)


def test_valid_replies_pass_without_checking_the_schema_again(fixed, monkeypatch):
    schema_checks = []
    validator_class = validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s, **kw: schema_checks.append(s)))
    action = RemoteAction("action_answer", None)
    for _ in range(3):
        assert action._validate_action_result(VALID_REPLY) is True
    assert schema_checks == []


def test_entity_annotations_are_read_with_the_schema_checked_once(fixed, monkeypatch):
    schema_checks = []
    validator_class = validators.validator_for(entity_dict_schema())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s, **kw: schema_checks.append(s)))
    for _ in range(3):
        entities = entities_parser.find_entities_in_training_example(
            'is [deep tissue]{"entity": "massage_type", "value": "deep_tissue"} ok for [sciatica](condition)'
        )
        assert [(e["entity"], e["value"]) for e in entities] == [
            ("massage_type", "deep_tissue"),
            ("condition", "sciatica"),
        ]
    assert len(schema_checks) == 1  # Rasa as shipped checks it for every such annotation: 3 times here


def test_training_fingerprints_nothing_for_rasas_cache(fixed):
    """The replacement hook never fingerprints: given inputs that cannot be fingerprinted, it still passes."""
    assert graph_trainer.TrainingHook is not hooks.TrainingHook
    hook = graph_trainer.TrainingHook(cache=None, model_storage=None, pruned_schema=None)
    unfingerprintable = {"training_data": object()}
    assert hook.on_before_node("train_DIETClassifier5", None, {}, unfingerprintable) == {}
    assert hook.on_after_node("train_DIETClassifier5", None, {}, object(), {}) is None


@pytest.mark.parametrize(
    "annotation",
    [
        '[deep tissue]{"entity": 3}',
        '[deep tissue]{"value": "deep_tissue"}',
        '[deep tissue]{"entity": "x", "value": [1]}',
    ],
)
def test_invalid_entity_annotations_are_still_rejected_with_rasas_error(fixed, annotation):
    with pytest.raises(SchemaValidationError, match="Failed to validate data"):
        entities_parser.find_entities_in_training_example(f"is {annotation} ok")


def _parse_all(texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(ensure_model()))

    async def parse() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return [
        {
            "intent": [(i["name"], round(i["confidence"], 6)) for i in result["intent_ranking"]],
            "entities": [(e["entity"], e["value"], e["start"], e["end"]) for e in result["entities"]],
        }
        for result in asyncio.run(parse())
    ]


@pytest.mark.model
def test_the_model_loaded_for_prediction_only_predicts_exactly_as_rasas_loader(monkeypatch):
    texts = [example.text for example in labelled()][::3]
    stock = _parse_all(texts)

    def no_training_step(*args, **kwargs):
        raise AssertionError("the prediction-only loader ran a training step")

    _install_until_teardown(monkeypatch)
    monkeypatch.setattr(RasaModel, "fit", no_training_step)
    fast = _parse_all(texts)
    different = [(text, a, b) for text, a, b in zip(texts, stock, fast, strict=True) if a != b]
    assert not different, different[:5]


@pytest.mark.parametrize("preset, expected", [(None, "false"), ("true", "true")])
def test_telemetry_stays_off_unless_asked_for(monkeypatch, preset, expected):
    """However the server is started (make, bot serve, by hand), no crash report leaves with a conversation."""
    import rasa.__main__

    if preset is None:
        monkeypatch.delenv("RASA_TELEMETRY_ENABLED", raising=False)
    else:
        monkeypatch.setenv("RASA_TELEMETRY_ENABLED", preset)
    seen = {}
    monkeypatch.setattr(
        rasa.__main__, "main", lambda: seen.setdefault("telemetry", os.environ.get("RASA_TELEMETRY_ENABLED"))
    )
    monkeypatch.setattr(rasa_server, "install", lambda: True)
    monkeypatch.setattr("sys.argv", ["bot.rasa.server", "--version"])
    rasa_server.main()
    assert seen == {"telemetry": expected}
