"""The one configuration: typed, read once per Settings, and wrong values named by variable or by file and key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.core.clinic import clinic
from bot.core.config import DEFAULT_ROOT, ENV_OF, ConfigError, Settings
from bot.core.topics import topics


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project root of its own: a copy of content/ and data/nlu."""
    shutil.copytree(DEFAULT_ROOT / "content", tmp_path / "content")
    shutil.copytree(DEFAULT_ROOT / "data" / "nlu", tmp_path / "data" / "nlu")
    return tmp_path


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.mark.parametrize(
    "variable, value",
    [
        ("BACKCARE_PORT", "abc"),
        ("BACKCARE_ACTIONS_PORT", "70000"),
        ("BACKCARE_PROFILE", "staging"),
        ("BACKCARE_LOG_LEVEL", "loud"),
        ("BACKCARE_TURN_TIMEOUT_SECONDS", "-1"),
    ],
)
def test_a_bad_environment_value_is_named_with_its_variable(variable, value):
    with pytest.raises(ConfigError) as error:
        Settings.from_env({variable: value})
    assert f"environment variable {variable}:" in str(error.value) and repr(value) in str(error.value)


@pytest.mark.parametrize(
    "key, value",
    [
        ("max_message_chars", "abc"),
        ("rate_limit.burst", 0),
        ("rate_limit.refill_seconds", "soon"),
        ("turn_timeout_seconds", -5),
    ],
)
def test_a_bad_limit_in_channels_yml_is_named_with_file_and_key(root, key, value):
    def change(data):
        *parents, last = key.split(".")
        for part in parents:
            data = data[part]
        data[last] = value

    edit_yaml(root / "content" / "channels.yml", change)
    with pytest.raises(ConfigError) as error:
        _ = Settings.from_env({"BACKCARE_ROOT": str(root)}).limits  # reading the limits is what raises
    assert str(error.value).startswith(f"content/channels.yml: {key}: ") and repr(value) in str(error.value)


def test_a_content_file_that_is_not_yaml_is_named(root):
    (root / "content" / "topics.yml").write_text("topics: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^content/topics.yml: not valid YAML"):
        topics(Settings.from_env({"BACKCARE_ROOT": str(root)}))


def test_the_root_moves_every_location(root):
    settings = Settings.from_env({"BACKCARE_ROOT": str(root)})
    paths = {
        field: getattr(settings, field) for field in Settings.__fields__ if isinstance(getattr(settings, field), Path)
    }
    assert len(paths) >= 10
    assert all(path == root or root in path.parents for path in paths.values()), paths
    assert settings.facts_db_url == f"sqlite:///{root / '.state' / 'facts.db'}"
    assert settings.conversations_url == f"sqlite:///{root / '.state' / 'conversations.db'}"


def test_a_relative_override_is_taken_from_the_root(root):
    settings = Settings.from_env({"BACKCARE_ROOT": str(root), "BACKCARE_CLINIC_FILE": "elsewhere/clinic.yml"})
    assert settings.clinic_file == root / "elsewhere" / "clinic.yml"


def test_each_settings_reads_its_own_content_and_keeps_it(root):
    edit_yaml(root / "content" / "clinic.yml", lambda data: data["clinic"].update(name="Moved Root Clinic"))
    edit_yaml(root / "content" / "channels.yml", lambda data: data.update(max_message_chars=123))
    moved = Settings.from_env({"BACKCARE_ROOT": str(root)})
    here = Settings.from_env({})
    assert clinic(moved).name == "Moved Root Clinic" != clinic(here).name
    assert moved.limits.max_message_chars == 123 != here.limits.max_message_chars
    edit_yaml(root / "content" / "channels.yml", lambda data: data.update(max_message_chars=7))
    assert moved.limits.max_message_chars == 123, "read once per settings"
    assert Settings.from_env({"BACKCARE_ROOT": str(root)}).limits.max_message_chars == 7


def test_the_turn_timeout_variable_overrides_channels_yml():
    assert Settings.from_env({"BACKCARE_TURN_TIMEOUT_SECONDS": "3"}).limits.turn_timeout_seconds == 3.0


def test_every_setting_has_its_environment_variable():
    assert set(Settings.__fields__) == set(ENV_OF)


def test_the_red_flags_file_setting_picks_the_lexicon(tmp_path):
    """The safety layer and the NLU component read the file BACKCARE_RED_FLAGS_FILE names, wherever they run."""
    lexicon = tmp_path / "other_red_flags.yml"
    lexicon.write_text("flags: not a list\n", encoding="utf-8")
    script = (
        "from bot.rasa.red_flag_component import resolve_lexicon_path\n"
        "from bot.safety.lexicon import LexiconError, load_lexicon\n"
        "print(resolve_lexicon_path(None))\n"
        "try:\n    load_lexicon()\nexcept LexiconError as exc:\n    print(exc)\n"
    )
    env = {**os.environ, "BACKCARE_RED_FLAGS_FILE": str(lexicon)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=DEFAULT_ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr[-2000:]
    assert lines[0] == str(lexicon.resolve())
    assert lines[1].startswith(str(lexicon)), "the detector's lexicon is the configured file"
