"""The Rasa NLU component: a Message in, triage entities and intent override out."""

from __future__ import annotations

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.rasa import red_flag_component as component_module
from bot.rasa.red_flag_component import RedFlagComponent, resolve_lexicon_path
from bot.safety.lexicon import DEFAULT_LEXICON_PATH, LexiconError


@pytest.fixture(scope="module")
def component(detector):
    # seed the per-process cache so create() reuses the session's detector
    component_module._DETECTORS[DEFAULT_LEXICON_PATH.resolve()] = detector
    return RedFlagComponent.create({}, model_storage=None, resource=None, execution_context=None)


def message(text, intent="ask_benefit", confidence=0.91):
    ranking = [{"name": intent, "confidence": confidence}, {"name": "chat_greet", "confidence": 0.05}]
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking,
            "entities": [
                {"entity": "condition", "value": "sciatica", "start": 0, "end": 4, "extractor": "DIETClassifier"}
            ],
        }
    )


def entities_by_type(msg):
    return {e["entity"]: e for e in msg.get("entities")}


def test_registered_as_a_trainable_entity_extractor():
    # trainable: train() fits the learned triage model from data/safety/ (make train)
    registered = DefaultV1Recipe._from_registry("bot.rasa.red_flag_component.RedFlagComponent")
    assert registered.clazz is RedFlagComponent
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is True
    config = RedFlagComponent.get_default_config()
    assert config["lexicon"] == "content/red_flags.yml"
    assert config["corpus"] == "data/safety"


def test_create_loads_the_default_lexicon(component, detector):
    assert component.lexicon_path == DEFAULT_LEXICON_PATH.resolve()
    assert component.detector is detector


def test_emergency_overrides_the_intent(component):
    msg = message("I can't feel my legs and can't pee")
    component.process([msg])
    assert msg.get("intent") == {"name": "triage_emergency", "confidence": 1.0}
    ranking = msg.get("intent_ranking")
    assert ranking[0] == {"name": "triage_emergency", "confidence": 1.0}
    assert [r["name"] for r in ranking[1:]] == ["ask_benefit", "chat_greet"]
    ents = entities_by_type(msg)
    assert ents["triage"]["value"] == "emergency"
    assert ents["red_flag"]["value"] == "cauda_equina"
    for ent in (ents["triage"], ents["red_flag"]):
        assert ent["extractor"] == "RedFlagComponent"
        assert ent["confidence_entity"] == 1.0
        assert msg.get("text")[ent["start"] : ent["end"]] == "can't feel my legs"
    assert ents["condition"]["extractor"] == "DIETClassifier"  # other entities kept


def test_urgent_overrides_the_intent(component):
    msg = message("I have a fever and my back is killing me")
    component.process([msg])
    assert msg.get("intent")["name"] == "triage_urgent"
    assert msg.get("intent_ranking")[0]["name"] == "triage_urgent"
    assert entities_by_type(msg)["red_flag"]["value"] == "infection"


def test_professional_adds_entities_but_keeps_the_intent(component):
    msg = message("I'm on warfarin, is deep tissue ok?", intent="ask_safety", confidence=0.8)
    component.process([msg])
    assert msg.get("intent") == {"name": "ask_safety", "confidence": 0.8}
    assert entities_by_type(msg)["triage"]["value"] == "professional"
    assert entities_by_type(msg)["red_flag"]["value"] == "medication"


def test_none_and_info_questions_leave_the_message_alone(component):
    for text in ("will massage help my sciatica?", "what are red flags for back pain?", "this form is killing me"):
        msg = message(text, intent="triage_red_flags_info")
        component.process([msg])
        assert msg.get("intent") == {"name": "triage_red_flags_info", "confidence": 0.91}
        assert "triage" not in entities_by_type(msg) and "red_flag" not in entities_by_type(msg)


def test_a_stale_triage_entity_from_another_extractor_is_replaced(component):
    msg = message("hello")
    msg.set(
        "entities", [{"entity": "triage", "value": "emergency", "start": 0, "end": 5, "extractor": "DIETClassifier"}]
    )
    component.process([msg])
    assert msg.get("entities") == []


def test_messages_without_text_are_skipped(component):
    msg = Message(data={"intent": {"name": "x", "confidence": 1.0}})
    assert component.process([msg]) == [msg]
    assert msg.get("intent") == {"name": "x", "confidence": 1.0}


def test_several_messages_and_a_missing_ranking(component):
    first, second = Message(data={"text": "cant pee"}), Message(data={"text": "hi"})
    component.process([first, second])
    assert first.get("intent")["name"] == "triage_emergency"
    assert first.get("intent_ranking") == [{"name": "triage_emergency", "confidence": 1.0}]
    assert second.get("intent") is None


def test_lexicon_path_resolution(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # not in the working directory: found relative to the repository
    assert resolve_lexicon_path("content/red_flags.yml") == DEFAULT_LEXICON_PATH.resolve()
    (tmp_path / "mine.yml").write_text("x: 1", encoding="utf-8")
    assert resolve_lexicon_path("mine.yml") == (tmp_path / "mine.yml").resolve()
    with pytest.raises(LexiconError, match="nowhere.yml"):
        resolve_lexicon_path("nowhere.yml")


def test_a_broken_configured_lexicon_stops_the_server(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("flags: [", encoding="utf-8")
    with pytest.raises(LexiconError, match=str(bad)):
        RedFlagComponent.create({"lexicon": str(bad)}, model_storage=None, resource=None, execution_context=None)


def test_valid_in_a_rasa_pipeline_last_and_trained():
    from rasa.engine import validation
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.data import TrainingType

    config = {
        "recipe": "default.v1",
        "language": "en",
        "assistant_id": "test",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "DIETClassifier", "epochs": 1},
            {"name": "FallbackClassifier", "threshold": 0.3},
            {"name": "bot.rasa.red_flag_component.RedFlagComponent"},
        ],
        "policies": [{"name": "RulePolicy"}],
    }
    model_config = Recipe.recipe_for_name("default.v1").graph_config_for_recipe(
        config, {}, training_type=TrainingType.BOTH
    )
    validation.validate(model_config)
    predict = [n for n, node in model_config.predict_schema.nodes.items() if node.uses is RedFlagComponent]
    assert len(predict) == 1
    assert model_config.predict_schema.nodes[predict[0]].needs == {"messages": "run_FallbackClassifier3"}
    # trained once (the learned model), its resource handed to the prediction node
    assert len([n for n, node in model_config.train_schema.nodes.items() if node.uses is RedFlagComponent]) == 1
    assert model_config.predict_schema.nodes[predict[0]].resource is not None


def test_the_parse_result_says_which_layer_fired(detector):
    class AlwaysEmergency:
        def assess(self, text):
            return "emergency", 0.93

        def group(self, text):
            return "self_harm"

    comp = RedFlagComponent({}, detector=detector, model=AlwaysEmergency())
    by_model = message("what is swedish massage?")
    comp.process([by_model])
    source = by_model.get("triage_source")
    assert source["source"] == "model" and source["model_score"] == 0.93 and source["rule_level"] == "none"
    assert entities_by_type(by_model)["red_flag"]["value"] == "self_harm"
    assert by_model.get("intent")["name"] == "triage_emergency"
    by_rule = message("I can't feel my legs and can't pee")
    RedFlagComponent({}, detector=detector).process([by_rule])
    assert by_rule.get("triage_source")["source"] == "rule"
    assert by_rule.get("triage_source")["flag"]


@pytest.mark.slow  # trains the learned triage model on the whole corpus
def test_train_persists_a_model_and_load_reads_it(detector, tmp_path, monkeypatch):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.rasa import red_flag_component as comp_module

    monkeypatch.setitem(comp_module._DETECTORS, DEFAULT_LEXICON_PATH.resolve(), detector)
    storage = LocalModelStorage(tmp_path)
    resource = Resource("safety")
    trained = RedFlagComponent.create({}, storage, resource, execution_context=None)
    trained.train()
    assert trained.model is not None and set(trained.model.thresholds) == {"emergency", "urgent", "professional"}
    loaded = RedFlagComponent.load({}, storage, resource, execution_context=None)
    assert loaded.model is not None
    text = "been looking up how many tablets it would take"
    assert loaded.model.assess(text) == trained.model.assess(text)
