"""The intent classifier: labels split by the value an intent routes by, a saved model that scores as
the trained one did, intents summed from labels, and the routed value added only when the words leave it out."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.topics import Label, label_for, read_label
from bot.rasa.topic_classifier import TopicClassifier, example_label
from bot.rasa.topic_model import TopicModel, TopicModelSettings
from bot.tools.nlu_corpus_build import Built, render

SETTINGS = TopicModelSettings(min_df=1, max_iter=300)

# Enough examples of each label for a model this small to tell them apart.
EXAMPLES = [
    *[("hello there", "greet"), ("hi there", "greet"), ("hey hello", "greet"), ("good morning hi", "greet")],
    *[
        ("thanks a lot", "thanks"),
        ("thank you so much", "thanks"),
        ("many thanks", "thanks"),
        ("cheers thanks", "thanks"),
    ],
    *[
        ("will massage help me sleep", "ask_benefit", "sleep"),
        ("better sleep after a massage", "ask_benefit", "sleep"),
        ("a decent night's kip after a massage", "ask_benefit", "sleep"),
        ("help my night's kip", "ask_benefit", "sleep"),
    ],
    *[
        ("will massage lift my mood", "ask_benefit", "mood"),
        ("lift me spirits massage", "ask_benefit", "mood"),
        ("does a massage make you happier", "ask_benefit", "mood"),
        ("happier mood after massage", "ask_benefit", "mood"),
    ],
]


def _message(text: str, intent: str, value: str | None = None) -> Message:
    message = Message(data={"text": text, "intent": intent})
    if value:
        message.set("metadata", {"intent": {"topic": f"benefit.{value}"}})
    return message


@pytest.fixture
def stored(tmp_path) -> tuple[LocalModelStorage, Resource]:
    storage, resource = LocalModelStorage(tmp_path), Resource("topic_classifier")
    config = {"min_df": 1, "max_iter": 300}
    TopicClassifier.create(config, storage, resource, execution_context=None).train(
        TrainingData([_message(*e) for e in EXAMPLES])
    )
    return storage, resource


@pytest.fixture
def classifier(stored) -> TopicClassifier:
    return TopicClassifier.load({"min_df": 1, "max_iter": 300}, *stored, execution_context=None)


def test_labels_split_an_entity_routed_intent_by_its_own_kind_only():
    assert label_for("ask_benefit", {"benefit": ["sleep"]}) == Label("ask_benefit", "benefit", "sleep")
    assert str(label_for("ask_benefit", {"benefit": ["sleep"]})) == "ask_benefit/sleep"
    # a condition named in a benefit question is not what it asks about
    assert label_for("ask_benefit", {"condition": ["sciatica"]}) == Label("ask_benefit")
    assert label_for("ask_benefit", {"benefit": ["no_such_benefit"]}) == Label("ask_benefit")
    assert label_for("session_duration", {"benefit": ["sleep"]}) == Label("session_duration")
    assert read_label("ask_benefit/sleep") == Label("ask_benefit", "benefit", "sleep")
    assert read_label("greet") == Label("greet")


def test_an_example_is_labelled_by_its_annotation_first_then_by_its_authors_topic():
    annotated = Message(
        data={
            "text": "will massage help me sleep",
            "intent": "ask_benefit",
            "entities": [{"entity": "benefit", "value": "sleep", "start": 21, "end": 26}],
        }
    )
    assert str(example_label(annotated)) == "ask_benefit/sleep"
    assert str(example_label(_message("lift me spirits", "ask_benefit", "mood"))) == "ask_benefit/mood"
    assert str(example_label(_message("what good does it do", "ask_benefit"))) == "ask_benefit"
    assert str(example_label(_message("hello", "greet"))) == "greet"


def test_the_corpus_file_carries_an_unnamed_topic_to_the_classifiers_label():
    built = Built()
    built.examples["greet"].append("now then")
    built.unnamed[("ask_benefit", "benefit.mood")].append("will it lift me spirits")
    data = RasaYAMLReader().reads(render(built, ["test"]))
    labels = {e.get("text"): str(example_label(e)) for e in data.intent_examples}
    assert labels == {"now then": "greet", "will it lift me spirits": "ask_benefit/mood"}


def test_a_saved_model_scores_as_the_trained_one(tmp_path):
    texts, labels = [e[0] for e in EXAMPLES], [e[1] for e in EXAMPLES]
    model = TopicModel.fit(texts, labels, SETTINGS)
    model.save(tmp_path)
    again = TopicModel.load(tmp_path, SETTINGS)
    probe = ["hello thanks", "zzz", "will it help my sleep"]
    assert np.allclose(model.probabilities(probe), again.probabilities(probe))
    assert np.allclose(again.probabilities(probe).sum(axis=1), 1.0)
    ranked = again.rank("thank you")
    assert ranked[0][0] == "thanks" and [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)


def test_one_label_is_not_a_model():
    with pytest.raises(ValueError):
        TopicModel.fit(["a", "b"], ["greet", "greet"], SETTINGS)


def _processed(classifier: TopicClassifier, text: str) -> Message:
    message = Message(data={"text": text})
    classifier.process([message])
    return message


def test_intents_are_ranked_by_their_labels_summed(classifier):
    message = _processed(classifier, "a massage to lift my mood")
    ranking = message.get("intent_ranking")
    assert message.get("intent")["name"] == ranking[0]["name"] == "ask_benefit"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    labels = dict(classifier.model.rank("a massage to lift my mood"))
    assert ranking[0]["confidence"] == pytest.approx(labels["ask_benefit/mood"] + labels["ask_benefit/sleep"])


def test_the_routed_value_is_added_when_the_words_do_not_name_it(classifier):
    entities = _processed(classifier, "will it lift me spirits").get("entities")
    assert [(e["entity"], e["value"], e["extractor"]) for e in entities] == [("benefit", "mood", "TopicClassifier")]


def test_a_value_the_words_name_is_left_to_the_words(classifier):
    # "sleep" is a listed name for the sleep benefit: the dialogue finds it in the words
    assert not _processed(classifier, "will massage help me sleep").get("entities")


def test_a_conversation_intent_gets_no_entity(classifier):
    message = _processed(classifier, "hello there")
    assert message.get("intent")["name"] == "greet"
    assert not message.get("entities")
