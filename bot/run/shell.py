"""`make shell`: `rasa shell`, beside `make run` or on its own.

`rasa shell` runs a Rasa server of its own, so it takes a free port (or
`--port`) instead of 5005, and it listens on loopback. It uses the action
server of a running `make run` when one answers on `BACKCARE_ACTIONS_PORT`,
and otherwise starts its own on a free port, so the start banner's advice
("make shell in another terminal") works as written.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from functools import partial
from typing import Optional

from bot.core import quiet, settings
from bot.core.facts.cli import load_facts
from bot.run.harness import free_port
from bot.run.model import ensure_model
from bot.run.serve import ServeOptions, Stack, action_server_command, endpoints_for, wait_until_up
from bot.run.supervise import answers


def shell_command(options: ServeOptions, model: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot.rasa.server",
        "shell",
        "--model",
        model,
        "--interface",
        "127.0.0.1",
        "--port",
        str(options.port),
        "--endpoints",
        str(endpoints_for(options)),
        *quiet.rasa_verbosity_flags(),
    ]


def main(argv: Optional[list[str]] = None) -> int:
    quiet.install()
    parser = argparse.ArgumentParser(prog="bot shell", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=None, help="port of the shell's own Rasa server (default: a free one)"
    )
    parser.add_argument(
        "--actions-port",
        type=int,
        default=int(os.environ.get("BACKCARE_ACTIONS_PORT", 5055)),
        help="the running action server to use, if one answers there",
    )
    args = parser.parse_args(argv)

    if load_facts() != 0:
        return 1
    model = ensure_model()
    running = answers(f"http://127.0.0.1:{args.actions_port}/health")
    options = ServeOptions(
        port=args.port or free_port(), actions_port=args.actions_port if running else free_port(), model=model
    )
    stack = Stack(options)
    try:
        if running:
            print(f"Using the action server already running on port {options.actions_port}.", flush=True)
        else:
            ready = f"http://127.0.0.1:{options.actions_port}/health"
            stack.add("actions", partial(action_server_command, options.actions_port), ready, serves_users=False)
            stack.restart("actions")
            wait_until_up(ready, stack.children["actions"].process, timeout=120)
        return subprocess.call(shell_command(options, str(model)), cwd=settings.ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
