"""The learned triage model, the corpus loader and the rules + model combination."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.levels import LEVELS
from bot.safety import learned
from bot.safety.corpus import CorpusError, load_corpus, load_splits, read_batch
from bot.safety.triage import MODEL, RULE, Triage

TRAIN = [
    ("i cant feel my bum and cant pee", "emergency", "saddle"),
    ("numb down there and wet myself", "emergency", "saddle"),
    ("both legs gone weak and numb", "emergency", "legs"),
    ("i want to end it all tonight", "emergency", "suicidal_ideation"),
    ("thinking about taking all my pills", "emergency", "suicide_plan"),
    ("i dont want to be alive anymore", "emergency", "suicidal_ideation"),
    ("30 weeks pregnant and bleeding heavily", "emergency", "pregnancy_bleeding"),
    ("pregnant and the baby is not moving", "emergency", "pregnancy_reduced_movements"),
    ("pregnant waters broke at 30 weeks", "emergency", "pregnancy_waters"),
    ("fever and chills with back pain", "urgent", "fever"),
    ("lost a lot of weight without trying and my back hurts", "urgent", "weight"),
    ("back pain with a temperature and shivering", "urgent", "fever"),
    ("back pain for three months not improving", "professional", "duration"),
    ("i have a slipped disc is massage ok", "professional", "disc"),
    ("on warfarin can i have deep tissue", "professional", "thinners"),
    ("what is swedish massage", "none", "plain"),
    ("how long is a session", "none", "plain"),
    ("can i book for saturday", "none", "plain"),
    ("do you do hot stone massage", "none", "plain"),
    ("my shoulders are tense from work", "none", "plain"),
]


@pytest.fixture(scope="module")
def model(detector):
    m = learned.fit(
        [t for t, _, _ in TRAIN], [label for _, label, _ in TRAIN], detector._normaliser, flags=[f for _, _, f in TRAIN]
    )
    return m


def test_the_fit_stops_at_the_pass_cap_quietly(monkeypatch, detector):
    """Training time is bounded by the cap on saga's passes, and stopping there is not reported as a fault."""
    import warnings

    monkeypatch.setattr(learned, "SAGA_MAX_EPOCHS", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = learned.fit([t for t, _, _ in TRAIN], [label for _, label, _ in TRAIN], detector._normaliser)
    assert m.classifier.max_iter == 1
    assert m.classifier.n_iter_[0] == 1


def test_the_fast_path_gives_sklearns_probabilities(model, labelled_texts):
    texts = [model.prepare(t) for t in labelled_texts[:200]]
    slow = model.classifier.predict_proba(model.vectoriser.transform(texts))
    fast = np.vstack([model._proba_fast(model._fast_path(), t) for t in texts])
    assert np.abs(slow - fast).max() < 1e-5


def test_cumulative_probabilities_are_ordered(model):
    cum = model.cumulative(["numb bum and cant pee", "what is swedish massage", "fever and back pain"])
    assert (cum[:, 0] >= cum[:, 1] - 1e-9).all() and (cum[:, 1] >= cum[:, 2] - 1e-9).all()


def test_thresholds_decide_the_level(model):
    cum = np.array([[0.9, 0.8, 0.7], [0.9, 0.8, 0.1], [0.9, 0.1, 0.0], [0.1, 0.0, 0.0]])
    t = {"emergency": 0.5, "urgent": 0.5, "professional": 0.5}
    assert model.levels_from(cum, t) == ["emergency", "urgent", "professional", "none"]
    assert model.levels_from(cum, {**t, "emergency": 0.75}) == ["urgent", "urgent", "professional", "none"]


def test_choose_thresholds_keeps_false_alarms_in_budget(model):
    dev = [
        ("my bum is numb and i cant wee", "emergency"),
        ("i want to kill myself", "emergency"),
        ("shivering with a fever and my back aches", "urgent"),
        ("what massage is best for stress", "none"),
        ("how much is a session", "none"),
        ("can i pay by card", "none"),
        ("my disc is slipped", "professional"),
    ]
    report = learned.choose_thresholds(
        model,
        [t for t, _ in dev],
        [label for _, label in dev],
        rule_levels=["none"] * len(dev),
        max_false_alarm_rate=0.0,
    )
    assert report["combined"]["false_alarm_rate"] == 0.0
    assert set(model.thresholds) == {"emergency", "urgent", "professional"}
    # the rules' own false alarms count against the budget; when they alone exceed it, the
    # model may add at most MODEL_ADDED_BUDGET on top of theirs
    rules = ["none"] * len(dev)
    rules[3] = "urgent"
    report = learned.choose_thresholds(
        model, [t for t, _ in dev], [label for _, label in dev], rules, max_false_alarm_rate=0.0
    )
    assert report["rules_false_alarm_rate"] == 0.25
    assert report["combined"]["false_alarm_rate"] <= 0.25 + learned.MODEL_ADDED_BUDGET


def test_the_model_pickles_without_its_fast_path(model):
    model._fast_path()
    restored = pickle.loads(pickle.dumps(model))
    assert "_fast" not in restored.__dict__
    assert restored.assess("i cant feel my bum")[0] == model.assess("i cant feel my bum")[0]


def test_reply_groups_from_author_flags():
    assert learned.reply_group("suicidal_ideation_indirect", "emergency") == "self_harm"
    assert learned.reply_group("overdose_third_person", "emergency") == "self_harm"
    assert learned.reply_group("pregnancy_bleeding", "emergency") == "pregnancy_warning"
    assert learned.reply_group("stroke_signs", "emergency") == "model"
    assert learned.reply_group("pregnancy_complication", "professional") == "none"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.just(""),
        st.text(max_size=40),
        st.text(min_size=1900, max_size=2100),
        st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=20),
        st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zs")), max_size=30),
        st.text(
            alphabet="\u0627\u0644\u0639\u0631\u0628\u4e2d\u6587\u043f\u0440\u0438\u0432\u0435\u0442\u05e9\u05dc\u05d5\u05dd",
            max_size=50,
        ),
    )
)
def test_bad_input_gives_a_level_never_an_exception(model, detector, text):
    level, score = model.assess(text)
    assert level in LEVELS and 0.0 <= score <= 1.0
    result = Triage(detector, model).assess(text)
    assert result.level in LEVELS


def test_two_thousand_characters_and_non_strings(model):
    assert model.assess("x" * 2000)[0] in LEVELS
    assert model.assess(None) == ("none", 0.0)
    assert model.assess(12) == ("none", 0.0)


def test_the_higher_level_wins_and_says_who_fired(model, detector):
    triage = Triage(detector, model)
    rule = triage.assess("I can't feel my legs and can't pee")
    assert rule.level == "emergency" and rule.source == RULE and rule.group == "cauda_equina"

    class AlwaysUrgent:
        def assess(self, text):
            return "urgent", 0.9

        def group(self, text):
            return "model"

    only_model = Triage(detector, AlwaysUrgent()).assess("what is swedish massage?")
    assert only_model.level == "urgent" and only_model.source == MODEL and only_model.model_score == 0.9
    # the rules still win when they are higher
    assert Triage(detector, AlwaysUrgent()).assess("I can't feel my legs and can't pee").source == RULE


# ---------------------------------------------------------------------- corpus


def _batch(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def _row(text, level="none", batch="b1"):
    return {"text": text, "level": level, "flag": "x", "persona": "p", "batch": batch}


def test_splits_by_batch_and_unlisted_batches_train(tmp_path):
    batches = tmp_path / "batches"
    batches.mkdir()
    _batch(batches / "b1.jsonl", [_row("a"), _row("b", "emergency")])
    _batch(batches / "b2.jsonl", [_row("c", batch="b2")])
    _batch(batches / "b3.jsonl", [_row("d", batch="b3")])
    splits = tmp_path / "splits.yml"
    splits.write_text("train: [b1]\ndev: [b2]\nlabelled_set: report\n", encoding="utf-8")
    corpus = load_corpus(batches, splits, labelled_set=None)
    assert [m.text for m in corpus.train] == ["a", "b", "d"]
    assert [m.text for m in corpus.dev] == ["c"]
    assert corpus.unlisted == ["b3"]


def test_a_blind_batch_is_refused_for_training(tmp_path):
    batches = tmp_path / "batches"
    batches.mkdir()
    _batch(batches / "secret.jsonl", [_row("a", batch="secret")])
    splits = tmp_path / "splits.yml"
    splits.write_text("blind: [secret]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="blind"):
        load_corpus(batches, splits, labelled_set=None)
    # scoring it is allowed
    assert read_batch(batches / "secret.jsonl", load_splits(splits), allow_blind=True)[0].text == "a"


def test_a_batch_in_two_splits_and_bad_lines_are_errors(tmp_path):
    splits = tmp_path / "splits.yml"
    splits.write_text("train: [a]\ndev: [a]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="both"):
        load_splits(splits)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "level": "severe"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.jsonl:1"):
        read_batch(bad)


def test_the_project_splits_file_reads_and_dev_batches_are_not_trained_on():
    corpus = load_corpus()
    train_batches = {m.batch for m in corpus.train}
    assert not train_batches & {m.batch for m in corpus.dev}
