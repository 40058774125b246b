"""Start-up output an operator can read.

Rasa 3.6 and the libraries it pins (pkg_resources, typer/click, pyparsing,
sanic_cors, SQLAlchemy, TensorFlow, jax, ...) print dozens of deprecation
warnings while they import. None of them is something a clinic can act on, and
a real problem would be lost among them. Every process of ours calls
:func:`install` before anything else is imported: from then on a deprecation
warning is shown only when it is attributed to the project's own code (a file
of the project outside its virtual environment); every other warning and
error still shows. It filters at the point of display rather than with
`warnings.filterwarnings`, because Sanic puts its own filter for deprecation
warnings in front of everyone else's when it is imported.
`BACKCARE_LOG_LEVEL=debug` brings everything back.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning)
PROJECT = Path(__file__).resolve().parents[2]
LEVELS = ("debug", "info", "warning", "error")


def log_level() -> str:
    """`BACKCARE_LOG_LEVEL`: warning (default), info, debug or error."""
    level = os.environ.get("BACKCARE_LOG_LEVEL", "warning").strip().lower() or "warning"
    if level not in LEVELS:
        raise SystemExit(f"error: BACKCARE_LOG_LEVEL={level!r} is not one of {', '.join(LEVELS)}")
    return level


def is_own(filename: str) -> bool:
    """Whether a warning attributed to `filename` comes from the project's own code."""
    path = Path(filename).resolve()
    return path.is_relative_to(PROJECT) and not path.is_relative_to(Path(sys.prefix).resolve())


def install() -> None:
    """Hide third-party deprecation warnings in this process (not under debug); idempotent."""
    if log_level() == "debug" or getattr(warnings.showwarning, "backcare_quiet", False):
        return
    show = warnings.showwarning

    def show_unless_third_party_deprecation(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, DEPRECATIONS) and not is_own(filename):
            return
        show(message, category, filename, lineno, file, line)

    show_unless_third_party_deprecation.backcare_quiet = True  # type: ignore[attr-defined]
    warnings.showwarning = show_unless_third_party_deprecation
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up notices


def rasa_verbosity_flags() -> list[str]:
    """The `rasa` / `rasa_sdk` command-line flag for the chosen level."""
    return {"debug": ["--debug"], "info": ["--verbose"], "warning": ["--quiet"], "error": ["--quiet"]}[log_level()]
