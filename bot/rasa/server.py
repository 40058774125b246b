"""`rasa` as this project runs it: the stock command line, minus per-turn and training costs of Rasa 3.6.

`python -m bot.rasa.server run ...` takes exactly the arguments of `rasa`.
Every Rasa server of both profiles, `make shell` and every training start through
here, so the assistant that is tested and benchmarked is the one that is deployed.

The fixes, found with py-spy and measured in `make bench` (docs/performance.md):

- Rasa checks each action-server reply with `jsonschema.validate(reply, schema)`,
  which first validates the large events schema itself against the JSON Schema
  meta-schema, on every call: over a third of the Rasa server's CPU time per
  answered turn. The replies are still validated, against the same schema with
  the same validator class and the same error, but the schema is checked once.
- To load each TensorFlow model (DIET, in a pipeline that has it), Rasa builds and runs a whole
  training step on one example, only to create the variables its weights go
  into: two thirds of the start-up and half a gigabyte of memory. For
  prediction, the first prediction creates them and the checkpoint fills each
  as it is created; a model with any variable left unfilled is loaded Rasa's
  way instead. Fine-tuning (`rasa train --finetune`) is untouched.
- To read the NLU data, Rasa validates each entity annotation with
  `jsonschema.validate`, which checks the schema itself against the meta-schema
  every time, and the data is read twice (NLU data and domain): 30 s of every
  training here, 11 s with the schema checked once. Each annotation is still
  validated.
- Training fingerprints every node's inputs and outputs for Rasa's training
  cache, which a fresh machine, CI and `make bench` never hit (models are named
  by the hash of their data): 30 to 60 s of every training. It is left out.

All four reach into Rasa's internals, so they live in `bot.rasa.compat`, which
applies them only to the Rasa version they were written for (and never with
`BACKCARE_STOCK_RASA=1`).

It also keeps the HTTP API closed by default. Rasa's API reads and rewrites
whole conversations (health details, detected red flags), so `--enable-api`
is refused unless a token protects it: `BACKCARE_API_TOKEN` is added as
Rasa's `--auth-token` here, inside the process, so it never shows in `ps`.

And it keeps Rasa's telemetry and crash reports off unless
`RASA_TELEMETRY_ENABLED` says otherwise: a crash report can carry a
conversation's text off the machine, whichever way the process was started.
"""

from __future__ import annotations

import os
import sys
from typing import Mapping, Sequence


def install() -> bool:
    """Apply the fixes to this process's Rasa (idempotent); False when `bot.rasa.compat` leaves Rasa as shipped."""
    from bot.rasa import compat

    return compat.install_server_patches()


AUTH_OPTIONS = ("--auth-token", "-t", "--jwt-secret")


def with_api_protection(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """`argv` with the API token added when the API is enabled; SystemExit if nothing protects it."""
    args = list(argv)
    if "--enable-api" not in args:
        return args
    if any(a in AUTH_OPTIONS or a.startswith(tuple(o + "=" for o in AUTH_OPTIONS)) for a in args):
        return args
    token = environ.get("BACKCARE_API_TOKEN", "").strip()
    if not token:
        profile = environ.get("BACKCARE_PROFILE", "embedded")
        raise SystemExit(
            f"error: refusing to start the {profile} profile with Rasa's HTTP API on and no token: the API "
            "reads and changes whole conversations. Set BACKCARE_API_TOKEN, or leave --enable-api off."
        )
    # One argument, `--auth-token=<token>`: a token may start with "-" (secrets.token_urlsafe does, once
    # in 64), and argparse would take a separate "-..." argument for an option and exit with code 2.
    return args + [f"--auth-token={token}"]


def main() -> None:
    from bot.core import quiet

    quiet.install()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    sys.argv[1:] = with_api_protection(sys.argv[1:], os.environ)
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
