"""What a Rasa server needs before a load balancer should send it conversations.

The stores register a check when Rasa builds them (bot.rasa.tracker_store,
bot.rasa.lock_store); the readiness endpoint (bot.rasa.channels.health) runs
every registered check. A registry instead of digging the stores out of
Rasa's agent: Rasa wraps the tracker store in a private fail-safe wrapper, and
this way nothing here depends on how Rasa holds them.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Optional

from bot.core.errors import inner_error

# A check returns None when the service is usable, or one sentence saying why not.
Check = Callable[[], Awaitable[Optional[str]]]
CHECK_TIMEOUT = 3.0

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Add (or replace) the check for `name`, e.g. "tracker store"."""
    _checks[name] = check


async def problems() -> dict[str, str]:
    """Each registered service that is not usable now, with the reason; empty when all are."""

    async def run(check: Check) -> Optional[str]:
        try:
            return await asyncio.wait_for(check(), CHECK_TIMEOUT)
        except asyncio.TimeoutError:
            return f"no answer within {CHECK_TIMEOUT:g} s"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            # The kind of failure only: a driver's message names hosts and ports, which this public
            # endpoint must not tell (the server's own log has the details).
            return f"unavailable ({type(inner_error(exc)).__name__})"

    names = list(_checks)
    results = await asyncio.gather(*(run(_checks[name]) for name in names))
    return {name: result for name, result in zip(names, results) if result}
