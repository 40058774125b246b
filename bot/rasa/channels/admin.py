"""/admin/insights: the clinic report on the running server, for the clinic's staff only.

Registered like a channel in credentials.yml because that is how Rasa lets a
project add routes to its server; it never handles a message. It calls
bot.insights on the conversation store this server writes (the URL of the
server's own tracker store, read with an engine of its own) and serves:

- GET /admin/insights?since=YYYY-MM-DD&until=YYYY-MM-DD&channel=rest  the page
- GET /admin/insights.csv?...                                         the unanswered list

Access needs the token in BACKCARE_ADMIN_TOKEN, sent as the password of HTTP
Basic authentication (any user name; browsers ask for it themselves) or as
`Authorization: Bearer <token>`. No token configured: the page is off and
every request is refused. Missing or wrong token: 401. Tokens are compared in
constant time. Responses forbid caching, framing, sniffing and every resource
except the page's own stylesheet and its inline chart images.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.insights.export import unanswered_csv
from bot.insights.render import STYLE_HASH, query_string, render_error, render_html
from bot.insights.report import BadRequest, InsightsError, Settings, build_report, open_store, period_from
from bot.rasa import compat

log = logging.getLogger(__name__)

TOKEN_ENV = "BACKCARE_ADMIN_TOKEN"
MIN_TOKEN_LENGTH = 16
HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; img-src data:; style-src '{STYLE_HASH}'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
CHALLENGE = {"WWW-Authenticate": 'Basic realm="clinic insights", charset="UTF-8"'}


def presented_token(authorization: Optional[str]) -> Optional[str]:
    """The token in an Authorization header: the Basic password, or the Bearer token."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def token_matches(expected: Optional[str], presented: Optional[str]) -> bool:
    if not expected or presented is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))


def _store_url(app: Any) -> Optional[str]:
    """The URL of this server's own tracker store (unwrapping Rasa's fail-safe wrappers)."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    for _ in range(5):
        engine = getattr(store, "engine", None)
        if engine is not None:
            return engine.url.render_as_string(hide_password=False)
        store = compat.wrapped_tracker_store(store)
    return None


class InsightsPage(InputChannel):
    """Serves the report; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "insights"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(token=os.environ.get(credentials.get("token_env") or TOKEN_ENV) or None)

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token
        self.settings: Optional[Settings] = None
        try:
            self.settings = Settings.from_environment()
        except InsightsError as exc:
            log.error("the insights page is off: %s", exc)
        if token is not None and len(token) < MIN_TOKEN_LENGTH:
            log.error("the insights page is off: %s must be at least %d characters", TOKEN_ENV, MIN_TOKEN_LENGTH)
            self.token = None

    def url_prefix(self) -> str:
        return "/admin"  # absolute, so Rasa's "/webhooks/" prefix does not apply

    def _refusal(self, request: Request) -> Optional[HTTPResponse]:
        if not self.token or self.settings is None:
            return response.text(
                f"The insights page is off: set {TOKEN_ENV} on the server.",
                status=401,
                headers={**HEADERS, **CHALLENGE},
            )
        if not token_matches(self.token, presented_token(request.headers.get("authorization"))):
            return response.text("A valid admin token is needed.", status=401, headers={**HEADERS, **CHALLENGE})
        return None

    async def _report(self, request: Request):
        args = request.args
        period = period_from(args.get("since"), args.get("until"), args.get("channel"), self.settings)
        url = _store_url(request.app)
        if url is None:
            raise InsightsError("this server has no SQL tracker store to report on")
        engine = open_store(url)
        try:  # aggregation takes up to seconds: keep the server's event loop free for turns
            return await asyncio.get_running_loop().run_in_executor(None, build_report, engine, period, self.settings)
        finally:
            engine.dispose()

    async def _respond(
        self, request: Request, shown: Callable[[Any], HTTPResponse], failed: Callable[[str, int], HTTPResponse]
    ) -> HTTPResponse:
        """What both routes do: refuse without the token, build the report, and shape either outcome."""
        refused = self._refusal(request)
        if refused is not None:
            return refused
        try:
            report = await self._report(request)
        except InsightsError as exc:
            return failed(str(exc), 400 if isinstance(exc, BadRequest) else 503)
        return shown(report)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("clinic_insights", __name__)

        @page.route("/insights", methods=["GET"])
        async def insights(request: Request) -> HTTPResponse:
            link = "insights.csv?" + query_string(
                request.args.get("since"), request.args.get("until"), request.args.get("channel")
            )
            return await self._respond(
                request,
                lambda report: response.html(
                    render_html(report, form_action="insights", csv_href=link), headers=HEADERS
                ),
                lambda message, status: response.html(render_error(message), status=status, headers=HEADERS),
            )

        @page.route("/insights.csv", methods=["GET"])
        async def insights_csv(request: Request) -> HTTPResponse:
            return await self._respond(
                request,
                lambda report: response.text(
                    unanswered_csv(report.unanswered),
                    content_type="text/csv; charset=utf-8",
                    headers={**HEADERS, "Content-Disposition": 'attachment; filename="unanswered.csv"'},
                ),
                lambda message, status: response.text(message, status=status, headers=HEADERS),
            )

        return page
