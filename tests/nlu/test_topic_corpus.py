"""The question corpus: splits by batch, the generated training data, and how messages become Rasa examples."""

from __future__ import annotations

import json
import re

import pytest

from bot.core.entities import find_in_text
from bot.core.settings import ROOT
from bot.core.topic_corpus import (
    BATCHES_DIR,
    CorpusError,
    Message,
    batch_files,
    load_splits,
    read_batch,
    split_messages,
)
from bot.core.topics import topics
from bot.tools import nlu_corpus_build as build_mod
from bot.tools.labelled import labelled, normalised, training_texts
from bot.tools.nlu_corpus_build import Target, annotate, build, find_spans, generate, targets

_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\(([^)]*)\)|\{([^}]*)\})")


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_every_batch_is_in_exactly_one_split_and_dev_is_never_trained_on():
    splits = load_splits()
    names = [p.stem for p in batch_files()]
    assert names, "no batches in data/nlu_corpus/batches"
    assert all(splits.split_of(n) in ("train", "dev", "blind") for n in names), "a batch is unlisted"
    # a blind batch enters the project only after its one first pass is in the history table
    history = (ROOT / "docs" / "understanding.md").read_text(encoding="utf-8")
    unscored = [n for n in names if splits.split_of(n) == "blind" and f"| {n} | blind |" not in history]
    assert not unscored, f"blind batches without a recorded first pass: {unscored}"
    assert splits.dev, "a dev split is needed to measure changes on"
    # every generated example is a train-split message ("hi" may be in dev too: written by both authors)
    train_split = {normalised(m.text) for m in split_messages("train")}
    generated = [normalised(t) for t in build_mod.training_texts_of(build_mod.OUTPUT)]
    assert generated and all(t in train_split for t in generated), "data/nlu/corpus.yml holds non-train messages"
    only_dev = (
        {normalised(m.text) for m in split_messages("dev")}
        - train_split
        - {normalised(t) for t in build_mod._handwritten_texts(build_mod.NLU_DIR)}
    )
    assert not only_dev & {normalised(t) for t in training_texts()}, "a dev-only message is in the training data"


def test_every_message_keeps_its_persona_and_batch():
    for path in batch_files():
        for m in read_batch(path, frozenset(topics().all)):
            assert m.persona and m.batch == path.stem, (path, m)


def test_blind_and_unlisted_batches_are_refused(tmp_path):
    batches = tmp_path / "batches"
    batches.mkdir()
    _write(
        batches / "b1.jsonl",
        [{"text": "prices?", "topic": "practical.cost_insurance", "alt": [], "persona": "p", "batch": "b1"}],
    )
    splits = tmp_path / "splits.yml"
    splits.write_text("train: []\ndev: []\nblind: [b1]\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        split_messages("blind", batches, splits)
    assert [m.text for m in split_messages("blind", batches, splits, allow_blind=True)] == ["prices?"]
    assert split_messages("train", batches, splits) == []
    splits.write_text("train: []\ndev: []\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="not listed"):
        split_messages("train", batches, splits)
    splits.write_text("train: [b1]\ndev: [b1]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="both"):
        load_splits(splits)


def test_both_corpora_refuse_a_splits_file_that_is_not_a_mapping_of_known_splits(tmp_path):
    from bot.safety.corpus import load_splits as load_safety_splits

    splits = tmp_path / "splits.yml"
    for text, problem in [
        ("- train\n", "expected a mapping"),
        ("train: []\ntest: [b1]\n", "unknown keys \\['test'\\]"),
        ("train: [\n", "cannot read"),
    ]:
        splits.write_text(text, encoding="utf-8")
        for load in (load_splits, load_safety_splits):
            with pytest.raises(CorpusError, match=problem):
                load(splits)
    splits.write_text("train: [b1]\nlabelled_set: report\n", encoding="utf-8")
    assert load_safety_splits(splits).labelled_set == "report" and load_safety_splits(splits).split_of("b1") == "train"
    with pytest.raises(CorpusError, match="labelled_set"):
        load_splits(splits)


def test_a_malformed_line_names_its_file_and_line(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text('{"text": "hi", "topic": "chat.greet"}\n{"text": "x", "topic": "not.a.topic"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"b\.jsonl:2"):
        read_batch(path, frozenset(topics().all))


@pytest.mark.slow
def test_the_generated_training_data_is_what_the_corpus_gives_now():
    text, _ = generate()
    assert build_mod.OUTPUT.read_text(encoding="utf-8") == text, "data/nlu/corpus.yml is stale: run make nlu-corpus"


def test_topics_map_back_onto_intents_and_entities():
    table = targets()
    assert table["type.swedish"][0] == Target("ask_massage_type", "massage_type", "swedish")
    assert Target("ask_massage_type") in table["type.overview"]
    # pain relief is a benefit, and also what a condition question naming no condition answers
    assert table["benefit.pain_relief"][0] == Target("ask_benefit", "benefit", "pain_relief")
    assert Target("ask_condition") in table["benefit.pain_relief"]
    assert table["chat.fallback"] == [Target("gibberish")]
    missing = set(topics().all) - set(table) - {"triage.alert"}
    assert not missing, f"topics the corpus could not train: {missing}"


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("I'm 72 with low bone density, what kind of massage is safe", "condition", "osteoporosis"),
        ("my siatica is killing me", "condition", "sciatica"),
        ("is MFR any good", "massage_type", "myofascial_release"),
        ("lumbago again, massage?", "condition", "chronic_low_back_pain"),
    ],
)
def test_lay_names_abbreviations_and_misspellings_are_found_with_their_offsets(text, entity, value):
    spans = [s for s in find_spans(text, (entity,)) if s.value == value]
    assert spans, f"{value} not found in {text!r}"
    assert text[spans[0].start : spans[0].end].strip()


def test_annotation_keeps_the_text_and_names_the_value():
    text = "Lumbago and a Slipped Disc, massage?"
    out = annotate(text, find_spans(text, ("condition",)))
    assert _ANNOTATION.sub(r"\1", out) == text
    values = [json.loads("{" + m.group(3) + "}")["value"] for m in _ANNOTATION.finditer(out) if m.group(3)]
    assert values == ["chronic_low_back_pain", "herniated_disc"]


def _message(text, topic):
    return Message(text=text, topic=topic, persona="test", batch="test")


def test_entity_topics_are_annotated_or_kept_with_their_topic_and_everything_else_is_placed():
    built = build(
        [
            _message("would a svedese be nice for a first timer xyzzy", "type.swedish"),
            _message("why do they press one spot for a whole minute xyzzy", "type.trigger_point"),
            _message("can it help my back xyzzy, honestly", "benefit.pain_relief"),
            _message("what are your opening hours on a bank holiday xyzzy", "practical.clinic_info"),
        ]
    )
    assert built.examples["ask_massage_type"] == [
        'would a [svedese]{"entity":"massage_type","value":"swedish"} be nice for a first timer xyzzy'
    ]
    # the trigger point message names no trigger point: its topic goes with it, for the intent classifier
    assert built.unnamed == {
        ("ask_massage_type", "type.trigger_point"): ["why do they press one spot for a whole minute xyzzy"]
    }
    assert not built.dropped
    assert built.examples["ask_condition"] == ["can it help my back xyzzy, honestly"]
    assert built.examples["clinic_info"] == ["what are your opening hours on a bank holiday xyzzy"]


def test_heldout_messages_and_contradictions_are_left_out():
    heldout = labelled()[0]
    built = build(
        [
            _message(heldout.text, heldout.topic),
            _message("zzqx is it ok after a run", "session.aftercare"),
            _message("zzqx is it ok after a run", "session.frequency"),
        ]
    )
    assert built.dropped["held-out or dev message (or a near copy)"] == 1
    assert built.dropped["same words, different topics"] == 2
    assert not any(built.examples.values())


def test_benefits_are_annotated_only_in_benefit_questions():
    built = build(
        [
            _message("qqzx does the pressure feel like stress relief", "session.pressure"),
            _message("qqzx will it help my stress", "benefit.stress"),
        ]
    )
    assert built.examples["session_pressure"] == ["qqzx does the pressure feel like stress relief"]
    assert built.examples["ask_benefit"] == ["qqzx will it help my [stress](benefit)"]


def test_pregnancy_alone_is_annotated_as_the_condition_as_the_dialogue_reads_it():
    """ "pregnancy massage" is the prenatal type; "pregnancy" without its filler is the condition's name."""
    text = "qqzx which oils does the pregnancy massage use, some are bad in pregnancy"
    spans = find_spans(text, ("massage_type", "condition"))
    assert [(text[s.start : s.end], s.entity, s.value) for s in spans] == [
        ("pregnancy massage", "massage_type", "prenatal"),
        ("pregnancy", "condition", "pregnancy"),
    ]
    assert find_in_text("massage_type", "bad in pregnancy") == []
    assert find_in_text("condition", "bad in pregnancy") == ["pregnancy"]


def test_the_batches_directory_is_the_documented_one():
    assert BATCHES_DIR.name == "batches" and BATCHES_DIR.parent.name == "nlu_corpus"
