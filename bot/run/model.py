"""The trained Rasa model, named by a hash of what it was trained from.

Training takes minutes, so `make run` and the tests train only when the
training data, domain or config changed; the model's file name is the hash,
and a file lock keeps two processes from training the same model at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
from pathlib import Path

from bot.core import settings

# the labelled safety set trains the learned triage model too (data/safety/splits.yml: labelled_set);
# the lexicon decides which ordinary questions the model learns as benign, so it is an input too
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "content/red_flags.yml")
MODEL_PREFIX = "backcare-"


def training_hash(root: Path | None = None) -> str:
    root = root or settings.ROOT
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path | None = None) -> Path:
    return settings.MODELS_DIR / f"{MODEL_PREFIX}{training_hash(root)}.tar.gz"


def train_command(out: Path, name: str, force: bool = False) -> list[str]:
    """The one way a model is trained here, shared by `make train` and the benchmark so both time the same work."""
    return [
        sys.executable,
        "-m",
        "bot.rasa.server",
        "train",
        # `make validate` (part of `make test`) runs the same checks and
        # stricter; repeating them here cost about 30 s of every training.
        "--skip-validation",
        *(["--force"] if force else []),
        "--fixed-model-name",
        name,
        "--out",
        str(out),
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
    ]


def ensure_model(verbose: bool = True) -> Path:
    """Path of the model for the current data, training it first if it does not exist."""
    path = model_path()
    if path.exists():
        return path
    settings.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.MODELS_DIR / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return path
        if verbose:
            print(f"Training {path.name} (the training data changed or no model exists)...", flush=True)
        subprocess.run(
            train_command(settings.MODELS_DIR, path.name[: -len(".tar.gz")]),
            cwd=settings.ROOT,
            check=True,
        )
        _prune(keep=3)
    return path


def _prune(keep: int) -> None:
    """Drop old models; a few are kept so a server still starting on one is not pulled from under it."""
    models = sorted(settings.MODELS_DIR.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in models[keep:]:
        old.unlink(missing_ok=True)
