"""The question corpus as extra benign training data for the learned triage model (bot/safety/corpus.py)."""

from __future__ import annotations

import json

import pytest

from bot.safety.corpus import CorpusError, load_topic_benign, load_topic_benign_config


def _topic_corpus(tmp_path, rows_by_batch, splits):
    batches = tmp_path / "nlu_corpus" / "batches"
    batches.mkdir(parents=True)
    for batch, rows in rows_by_batch.items():
        (batches / f"{batch}.jsonl").write_text(
            "\n".join(json.dumps({"text": t, "topic": topic, "persona": "p", "batch": batch}) for t, topic in rows),
            encoding="utf-8",
        )
    split_file = tmp_path / "nlu_corpus" / "splits.yml"
    split_file.write_text(splits, encoding="utf-8")
    return batches, split_file


def test_levels_follow_the_config_and_only_the_named_split_is_read(tmp_path):
    batches, split_file = _topic_corpus(
        tmp_path,
        {
            "t1": [
                ("is massage ok with a slipped disc", "condition.herniated_disc"),
                ("how much is an hour", "practical.cost_insurance"),
            ],
            "t2": [("what is shiatsu", "type.shiatsu")],
        },
        "train: [t1]\ndev: [t2]\n",
    )
    config = tmp_path / "topic_benign.yml"
    config.write_text("split: train\nprofessional_topics: [condition.herniated_disc]\n", encoding="utf-8")
    train = load_topic_benign(config_file=config, topic_batches_dir=batches, topic_splits_file=split_file)
    assert {(m.text, m.level) for m in train} == {
        ("is massage ok with a slipped disc", "professional"),
        ("how much is an hour", "none"),
    }
    assert all(m.batch == "topic:t1" for m in train)
    dev = load_topic_benign(split="dev", config_file=config, topic_batches_dir=batches, topic_splits_file=split_file)
    assert [m.text for m in dev] == ["what is shiatsu"]


def test_never_above_professional_and_never_blind(tmp_path):
    config = tmp_path / "topic_benign.yml"
    config.write_text("split: blind\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        load_topic_benign_config(config)
    config.write_text("split: train\nprofessional_topics: [condition.cancer]\n", encoding="utf-8")
    loaded = load_topic_benign_config(config)
    assert loaded.level_of("condition.cancer") == "professional"
    assert loaded.level_of("triage.red_flags_info") == "none"


def test_absent_config_adds_nothing(tmp_path):
    assert load_topic_benign(config_file=tmp_path / "missing.yml") == []
