"""The layers of bot/ hold: the actions run without Rasa or spaCy, and no layer reaches up or round in a circle."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.core import settings
from tests.architecture.layers import action_image_modules, check

# A meta path finder that refuses the heavy libraries, as if they were not installed
# (the action server's image has rasa_sdk, SQLAlchemy and PyYAML, nothing more).
BLOCKED_IMPORT = textwrap.dedent("""
    import importlib.abc, sys
    BLOCKED = {"rasa", "spacy", "medspacy", "sklearn", "tensorflow"}

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is not available in the action server's image")
            return None

    sys.meta_path.insert(0, Refuse())
    import {module}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not loaded, loaded
    print("imported")
""")


def _import_blocked(module: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT.replace("{module}", module)],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("module", ["actions.actions", "bot.run.action_server", "bot.run.entrypoint"])
def test_the_action_servers_modules_import_without_rasa_spacy_or_medspacy(module):
    """What the action server's image runs (deploy/Dockerfile, target actions)."""
    result = _import_blocked(module)
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr[-2000:]


def test_the_blocking_finder_does_refuse_rasa():
    """The check above proves something only if the finder really stops an import of Rasa."""
    result = _import_blocked("bot.rasa.nlg")
    assert result.returncode != 0 and "not available in the action server's image" in result.stderr


def test_the_layer_rules_hold_in_bot():
    assert check(settings.ROOT) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


CLEAN = {
    "bot/__init__.py": "",
    "bot/core/__init__.py": "",
    "bot/core/answers.py": "import yaml\nfrom sqlalchemy import select\nfrom bot.core import settings\n",
    "bot/core/settings.py": "import os\n",
    "bot/safety/__init__.py": "",
    "bot/safety/detector.py": "import spacy\nfrom bot.core.settings import os\n",
    "bot/rasa/__init__.py": "",
    "bot/rasa/nlg.py": "import rasa\nfrom bot.safety import detector\nfrom bot.core import answers\n",
    "bot/run/__init__.py": "",
    "bot/run/serve.py": "from bot.rasa import nlg\n",
    "bot/tools/__init__.py": "",
    "bot/tools/evaluate.py": "from bot.run import serve\n",
}


def test_the_action_images_libraries_are_read_from_the_dockerfile(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM rasa/rasa AS rasa\nRUN pip install -c requirements.lock . requests\n"
        "FROM rasa/rasa-sdk AS actions\nRUN pip install --no-cache-dir -c requirements.lock "
        "SQLAlchemy PyYAML && rm -rf /root/.cache\n",
        encoding="utf-8",
    )
    allowed = action_image_modules(dockerfile)
    assert {"sqlalchemy", "yaml"} <= allowed and "requests" not in allowed and "requirements" not in str(allowed)


def test_a_clean_fake_tree_passes(tmp_path):
    assert check(_tree(tmp_path, CLEAN)) == []


def test_each_broken_rule_is_reported(tmp_path):
    broken = {
        "bot/core/answers.py": "def later():\n    import rasa.core\n",  # a lazy import counts too
        "bot/core/settings.py": "import requests\n",  # not in the action server's image
        "bot/safety/detector.py": "from ..rasa import nlg\n",  # relative imports are resolved
        "bot/rasa/nlg.py": "from tests.support import waiting\n",
        "bot/run/serve.py": "from bot.tools import evaluate\n",
    }
    problems = check(_tree(tmp_path, {**CLEAN, **broken}))
    for module, target in [
        ("bot.core.answers", "rasa.core"),
        ("bot.core.settings", "requests"),
        ("bot.safety.detector", "bot.rasa"),
        ("bot.rasa.nlg", "tests.support"),
        ("bot.run.serve", "bot.tools"),
    ]:
        assert any(p.startswith(f"{module}:") and f" imports {target}" in p for p in problems), (module, problems)


def test_a_cycle_between_subpackages_is_reported(tmp_path):
    files = {
        **CLEAN,
        "bot/insights/__init__.py": "",
        "bot/privacy/__init__.py": "",
        "bot/insights/report.py": "from bot.privacy import events\n",
        "bot/privacy/events.py": "from bot.insights.report import x\n",
    }
    problems = check(_tree(tmp_path, files))
    assert any("import cycle" in p and "bot.insights" in p and "bot.privacy" in p for p in problems), problems
