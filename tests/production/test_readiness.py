"""GET /webhooks/health/ready: not ready while the tracker store or the lock store is unreachable."""

from __future__ import annotations

import pytest
import requests

from tests.support.production import Production
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.services]


def readiness(production: Production, server: int = 0) -> requests.Response:
    return requests.get(f"{production.url(server)}/webhooks/health/ready", timeout=10)


def test_ready_while_everything_answers(whole: Production):
    reply = readiness(whole)
    assert reply.status_code == 200 and reply.json() == {"status": "ready"}
    assert reply.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("service, store", [("redis_proxy", "lock store"), ("pg_proxy", "tracker store")])
def test_not_ready_while_a_store_is_down_and_ready_again_after(whole: Production, service, store):
    proxy = getattr(whole, service)
    proxy.cut()
    try:
        reply = readiness(whole)
        assert reply.status_code == 503
        assert store in reply.json()["problems"]
        assert str(proxy.port) not in reply.text  # which service, never where it is
    finally:
        proxy.restore()
    assert wait_for(lambda: readiness(whole).status_code == 200, 30)
