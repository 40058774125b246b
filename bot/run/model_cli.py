"""`bot model path` and `bot model train`."""

from __future__ import annotations

import argparse

from bot.run.model import ensure_model, model_path


def register(subparsers: argparse._SubParsersAction) -> None:
    model = subparsers.add_parser("model", help="the trained model, cached by a hash of the training data")
    sub = model.add_subparsers(dest="model_command", required=True)
    sub.add_parser("path", help="print the model file for the current training data").set_defaults(
        func=lambda args: print(model_path())
    )
    sub.add_parser("train", help="train only if the training data changed").set_defaults(
        func=lambda args: print(ensure_model())
    )
