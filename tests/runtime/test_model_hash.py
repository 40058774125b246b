"""The model's name is a hash of everything it is trained from, the red-flag lexicon included."""

from pathlib import Path

from bot.run.model import training_hash


def _project(root: Path, lexicon: str) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "config.yml").write_text("pipeline: []\n", encoding="utf-8")
    (root / "domain.yml").write_text("version: '3.1'\n", encoding="utf-8")
    (root / "data" / "nlu.yml").write_text("nlu: []\n", encoding="utf-8")
    (root / "content" / "red_flags.yml").write_text(lexicon, encoding="utf-8")
    return root


def test_a_changed_lexicon_names_a_new_model(tmp_path):
    # the learned triage model learns as benign only the questions the rules leave alone
    before = training_hash(_project(tmp_path / "a", "flags: []\n"))
    after = training_hash(_project(tmp_path / "b", "flags: [{id: x}]\n"))
    assert before != after


def test_the_same_inputs_name_the_same_model(tmp_path):
    assert training_hash(_project(tmp_path / "a", "flags: []\n")) == training_hash(
        _project(tmp_path / "b", "flags: []\n")
    )
