"""The containers' entry point: Docker secrets into the environment, then the real command.

Passwords are mounted as files (/run/secrets/...) so they never sit in the
compose file, the image or `docker inspect`. Rasa reads its endpoints from
environment variables, so for every `NAME_FILE` variable this sets `NAME` to
the file's content, derives the fact base's URL from the PostgreSQL settings
when none is given, and then replaces itself with the command:

    python -m bot.run.entrypoint python -m bot.rasa.server run --endpoints endpoints-production.yml ...
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import MutableMapping, Optional

SUFFIX = "_FILE"


def load_secrets(environ: MutableMapping[str, str]) -> list[str]:
    """Set NAME from the file NAME_FILE names, for each such variable; returns the names set."""
    loaded = []
    for name, path in sorted(environ.items()):
        if not name.endswith(SUFFIX) or not name.startswith(("BACKCARE_", "TELEGRAM_")):
            continue
        target = name[: -len(SUFFIX)]
        if environ.get(target) or not path.strip():
            continue  # an explicit value wins; an empty NAME_FILE means this container does not get it
        try:
            environ[target] = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(f"error: {name} points at {path}, which cannot be read: {exc.strerror}") from None
        loaded.append(target)
    return loaded


def prepare(environ: MutableMapping[str, str]) -> None:
    load_secrets(environ)
    if environ.get("BACKCARE_PROFILE") == "production" and not environ.get("BACKCARE_DB_URL"):
        from bot.run.profile_config import production_settings

        environ["BACKCARE_DB_URL"] = production_settings(environ).facts_db_url


def main(argv: Optional[list[str]] = None) -> None:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        raise SystemExit("usage: python -m bot.run.entrypoint COMMAND [ARGS...]")
    prepare(os.environ)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
