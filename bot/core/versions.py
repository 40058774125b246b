"""Whether the installed third-party libraries are the versions a piece of code was written for.

`bot.rasa.compat` and `bot.safety.compat` reach into private parts of Rasa and
medspaCy that may change in any release. Each records the versions it was
written for and asks here once per process; on any other version, or when
`BACKCARE_STOCK_RASA=1` asks for it, they leave the libraries as shipped.
"""

from __future__ import annotations

import logging
import os
from importlib.metadata import PackageNotFoundError, version
from typing import Mapping

log = logging.getLogger(__name__)
STOCK_SWITCH = "BACKCARE_STOCK_RASA"


def stock_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """`BACKCARE_STOCK_RASA=1`: run Rasa and medspaCy exactly as shipped (slower, same answers)."""
    return environ.get(STOCK_SWITCH, "").strip().lower() in ("1", "true", "yes")


def installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def mismatches(written_for: Mapping[str, str]) -> list[str]:
    """`name installed (written for expected)` for each distribution not at its version.

    An expected version ending in "." is a prefix: "3.6." accepts every 3.6.x."""
    out = []
    for distribution, expected in written_for.items():
        found = installed(distribution)
        ok = found.startswith(expected) if expected.endswith(".") else found == expected
        if not ok:
            out.append(f"{distribution} {found} (written for {expected}{'x' if expected.endswith('.') else ''})")
    return out


def patches_allowed(what: str, written_for: Mapping[str, str], environ: Mapping[str, str] = os.environ) -> bool:
    """True when `what` may use the private parts it was written for; logs once why not."""
    if stock_requested(environ):
        log.info("%s: %s=1, running the libraries as shipped", what, STOCK_SWITCH)
        return False
    wrong = mismatches(written_for)
    if wrong:
        log.warning(
            "%s: %s; its private-API shortcuts are off and the libraries run as shipped "
            '(docs/architecture.md, "Upgrading Rasa")',
            what,
            "; ".join(wrong),
        )
        return False
    return True
