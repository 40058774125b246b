"""The `bot` command: one entry point for the assistant's maintenance tasks."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional

from bot.core import quiet

# Each module adds its own sub-commands through `register(subparsers)`.
COMMAND_MODULES = (
    "bot.core.facts.cli",
    "bot.run.model_cli",
    "bot.run.telegram_cli",
    "bot.run.privacy_cli",
    "bot.run.insights_cli",
)


def serve_main():
    """`bot serve` for the active profile: the embedded stack, or several Rasa servers on PostgreSQL and Redis.

    Chosen here rather than inside `bot.run.serve`, which the production cluster builds on."""
    from bot.core import settings

    if settings.profile() == "production":
        from bot.run.cluster import main
    else:
        from bot.run.serve import main
    return main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Back-care assistant tools.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    serve = subparsers.add_parser("serve", help="start the action server and the Rasa server (make run)")
    serve.set_defaults(func=lambda args: serve_main()(args.rest), passes_options_on=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    quiet.install()  # before the sub-commands import Rasa, SQLAlchemy and friends
    parser = build_parser()
    # `bot serve` hands its own options (--port, ...) on to bot.run.serve's parser.
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "passes_options_on", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
