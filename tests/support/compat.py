"""What the compat tests of bot.rasa and bot.safety share: pinning a private signature, and a run with the stock switch.

Each compat module patches private parts of a library; its test pins the
shapes it assumes and proves that with BACKCARE_STOCK_RASA=1 nothing is
patched. The switch is read at import, so that run needs a process of its own.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

from bot.core import settings


def parameters(function) -> list[str]:
    """The parameter names of `function`, in order: what a patch of it assumes."""
    return list(inspect.signature(function).parameters)


def run_with_stock_switch(script: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`script` run by a fresh Python from the project root with BACKCARE_STOCK_RASA=1 (output captured as text)."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "BACKCARE_STOCK_RASA": "1"},
    )
