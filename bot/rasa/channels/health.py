"""`GET /webhooks/health/ready`: may a load balancer send this Rasa server conversations?

Rasa's own `GET /` answers as soon as the web server runs (liveness). This
answers 200 only while the model is loaded and every store the server writes
to (bot.rasa.readiness: the tracker store, and the lock store in the production
profile) answers, and 503 with the reasons otherwise. It says which service
is down, never where it is or with which credentials. docs/deploy.md shows
nginx and cloud load balancers using it.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa import readiness


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("backcare_health", __name__)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            problems = {} if agent is not None and agent.is_ready() else {"model": "not loaded yet"}
            problems.update(await readiness.problems())
            headers = {"Cache-Control": "no-store"}
            if problems:
                return response.json({"status": "not ready", "problems": problems}, status=503, headers=headers)
            return response.json({"status": "ready"}, headers=headers)

        return health
