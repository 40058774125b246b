"""`make shell`: `rasa shell` with the action server running beside it."""
from __future__ import annotations

import subprocess
import sys

from bot import settings
from bot.facts.cli import load_facts
from bot.model import ensure_model
from bot.serve import ServeOptions, Stack, endpoints_for


def main() -> int:
    if load_facts() != 0:
        return 1
    options = ServeOptions()
    model = ensure_model()
    stack = Stack(options)
    try:
        stack.start_actions()
        return subprocess.call(
            [sys.executable, "-m", "bot.rasa_server", "shell", "--model", str(model), "--endpoints", str(endpoints_for(options))],
            cwd=settings.ROOT,
        )
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
