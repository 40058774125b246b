"""Calls to the Telegram Bot API, asynchronous for the channel and blocking for the CLI.

Every call has a timeout, and errors carry Telegram's own description and
`retry_after` so callers can decide what to do. The token is part of the
URL, so URLs are never logged or put into exception messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request
from typing import Any, Optional

import aiohttp

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 10.0


class BotApiError(RuntimeError):
    def __init__(
        self, method: str, description: str, error_code: Optional[int] = None, retry_after: Optional[float] = None
    ) -> None:
        super().__init__(f"{method}: {description}")
        self.method = method
        self.description = description
        self.error_code = error_code
        self.retry_after = retry_after

    @property
    def is_parse_error(self) -> bool:
        """Telegram could not read the HTML (worth resending as plain text)."""
        return self.error_code == 400 and "parse" in self.description.lower()


def _result(method: str, status: int, raw: bytes) -> Any:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BotApiError(method, f"HTTP {status}, not a Bot API answer", status) from None
    if not isinstance(body, dict):
        raise BotApiError(method, f"HTTP {status}, not a Bot API answer", status)
    if body.get("ok") is True:
        return body.get("result")
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    raise BotApiError(
        method,
        str(body.get("description") or f"HTTP {status}"),
        body.get("error_code") if isinstance(body.get("error_code"), int) else status,
        parameters.get("retry_after") if isinstance(parameters.get("retry_after"), (int, float)) else None,
    )


class BotApi:
    """One bot's Bot API, reused across requests; create it inside the event loop that uses it."""

    def __init__(self, token: str, base_url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._prefix = f"{base_url.rstrip('/')}/bot{token}/"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def call(self, method: str, payload: Optional[dict] = None) -> Any:
        try:
            async with self._client().post(self._prefix + method, json=payload or {}) as reply:
                return _result(method, reply.status, await reply.read())
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise BotApiError(method, f"could not reach the Bot API ({type(exc).__name__})") from None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def call_sync(
    token: str, base_url: str, method: str, payload: Optional[dict] = None, timeout: float = DEFAULT_TIMEOUT
) -> Any:
    """The same call, blocking, for command-line tools."""
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/bot{token}/{method}",
        data=json.dumps(payload or {}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return _result(method, reply.status, reply.read())
    except urllib.error.HTTPError as exc:  # Telegram answers errors with a JSON body
        return _result(method, exc.code, exc.read())
    except (urllib.error.URLError, OSError) as exc:
        raise BotApiError(method, f"could not reach the Bot API ({type(exc).__name__})") from None
