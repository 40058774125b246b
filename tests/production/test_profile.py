"""The production profile's wiring, without starting Rasa: settings, start-up errors, secrets, compose file."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy
import yaml

from bot.core import settings
from bot.run.harness import free_port
from bot.run.profile_config import ENDPOINTS_FILE, production_settings, variables
from tests.support.production import settings_for
from tests.support.services import PG_HOST, require_services, scratch_database

ROOT = settings.ROOT
PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")


def endpoint_variables() -> set[str]:
    """The ${NAME}s Rasa fills from the environment (in values, not comments)."""

    def values(node):
        if isinstance(node, dict):
            return [v for child in node.values() for v in values(child)]
        return [str(node)]

    found = {
        name
        for value in values(yaml.safe_load(ENDPOINTS_FILE.read_text(encoding="utf-8")))
        for name in PLACEHOLDER.findall(value)
    }
    assert found, "the production endpoints are configured from the environment"
    return found


def test_every_variable_of_the_endpoints_file_is_declared_and_set_by_serve():
    declared = set(variables()) | {"BACKCARE_ACTION_ENDPOINT"}
    assert endpoint_variables() <= declared
    provided = set(production_settings({}).environment()) | {"BACKCARE_ACTION_ENDPOINT"}  # see Cluster
    assert endpoint_variables() <= provided


def test_defaults_are_the_machines_services_and_the_fact_base_shares_the_database():
    config = production_settings({})
    assert (config.pg_host, config.pg_port, config.redis_host, config.redis_port) == (
        "127.0.0.1",
        5432,
        "127.0.0.1",
        6379,
    )
    assert config.facts_db_url == config.tracker_db_url == "postgresql://postgres@127.0.0.1:5432/backcare"
    secret = production_settings({"BACKCARE_PG_PASSWORD": "p@ss/word"})
    assert secret.tracker_db_url == "postgresql://postgres:p%40ss%2Fword@127.0.0.1:5432/backcare"


def _serve(env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "serve"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    return done, time.monotonic() - started


@pytest.mark.services
def test_start_up_with_redis_down_stops_with_a_message_naming_redis():
    require_services()
    port = free_port()  # nothing listens here
    with scratch_database() as database:
        env = {**settings_for(database, "bcstartup", redis_port=port).environment(), "BACKCARE_PORT": str(free_port())}
        done, took = _serve(env)
    assert done.returncode == 2
    assert f"error: Redis at 127.0.0.1:{port} (db 2) is not reachable" in done.stderr
    assert "BACKCARE_REDIS_HOST" in done.stderr
    assert took < 60, "the servers should not even have been started"


@pytest.mark.services
def test_start_up_with_postgres_down_stops_with_a_message_naming_postgres():
    port = free_port()
    env = {
        **settings_for("backcare_unused", "bcstartup", pg_port=port).environment(),
        "BACKCARE_PORT": str(free_port()),
    }
    done, took = _serve(env)
    assert done.returncode == 2
    assert f"error: PostgreSQL at 127.0.0.1:{port} (user postgres) is not reachable" in done.stderr
    assert took < 60


def test_a_rasa_server_started_without_postgres_fails_naming_it():
    """Started directly (as in Docker), the tracker store waits `startup_wait` s, then names PostgreSQL."""
    from bot.rasa.durable_tracker_store import DurableSQLTrackerStore, TrackerStoreUnavailable

    port = free_port()
    with pytest.raises(TrackerStoreUnavailable) as failure:
        DurableSQLTrackerStore(host=PG_HOST, port=port, db="backcare", username="postgres", startup_wait=0)
    assert f"PostgreSQL tracker store at {PG_HOST}:{port} (database backcare) is not reachable" in str(failure.value)


@pytest.mark.services
def test_database_errors_never_carry_the_message_text():
    """Rasa logs a failed write's error whole; with the statement's parameters it would hold the text."""
    require_services()
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa.durable_tracker_store import DurableSQLTrackerStore, TrackerStoreUnavailable

    secret = f"my back hurts since the accident {uuid.uuid4().hex}"
    with scratch_database() as database:
        store = DurableSQLTrackerStore(domain=Domain.empty(), host=PG_HOST, port=5432, db=database, username="postgres")
        tracker = DialogueStateTracker.from_events("x" * 300, [UserUttered(secret)])  # sender too long
        with pytest.raises(TrackerStoreUnavailable) as failure:
            asyncio.run(store.save(tracker))
        # Whoever else logs a database error of this engine gets no parameters either.
        with pytest.raises(sqlalchemy.exc.DBAPIError) as raw:
            with store.engine.begin() as connection:
                connection.execute(
                    sqlalchemy.text("INSERT INTO events (sender_id, type_name, data) VALUES (:sender, 'user', :data)"),
                    {"sender": "x" * 300, "data": secret},
                )
        store.engine.dispose()
    message = str(failure.value)
    assert "could not be written" in message and "value too long" in message
    assert secret not in message and "accident" not in message
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    assert "value too long" in str(raw.value) and "accident" not in str(raw.value)


def test_the_entry_point_reads_docker_secrets_and_derives_the_fact_base_url(tmp_path):
    secret = tmp_path / "pg_password"
    secret.write_text("s3cr@t\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    env.update(
        {"BACKCARE_PROFILE": "production", "BACKCARE_PG_HOST": "postgres", "BACKCARE_PG_PASSWORD_FILE": str(secret)}
    )
    show = "import os; print(os.environ['BACKCARE_PG_PASSWORD']); print(os.environ['BACKCARE_DB_URL'])"
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.entrypoint", sys.executable, "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["s3cr@t", "postgresql://postgres:s3cr%40t@postgres:5432/backcare"]

    env["BACKCARE_PG_PASSWORD_FILE"] = str(tmp_path / "missing")
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.entrypoint", "true"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "BACKCARE_PG_PASSWORD_FILE" in done.stderr


# -- docker-compose.yml describes the same topology ---------------------------------------------

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def _rasa_servers() -> dict[str, dict]:
    return {name: s for name, s in SERVICES.items() if "endpoints-production.yml" in " ".join(s.get("command", []))}


def test_compose_uses_the_real_images():
    images = {s.get("image") for s in SERVICES.values()} | {
        arg for s in SERVICES.values() for arg in ((s.get("build") or {}).get("args") or {}).values()
    }
    assert {"rasa/rasa:3.6.21-full", "rasa/rasa-sdk:3.6.2"} <= images
    assert any(str(i).startswith("postgres:") for i in images) and any(str(i).startswith("redis:") for i in images)
    for name in _rasa_servers():
        assert SERVICES[name]["build"]["context"] == "."  # a build of this project


def test_compose_runs_two_rasa_servers_behind_the_proxy_with_every_variable_set():
    servers = _rasa_servers()
    assert len(servers) >= 2
    for name, service in servers.items():
        env = service["environment"]
        for variable in endpoint_variables():
            assert variable in env or f"{variable}_FILE" in env, f"{name} does not set {variable}"
        assert env["BACKCARE_PG_HOST"] in SERVICES and env["BACKCARE_REDIS_HOST"] in SERVICES
        assert env["BACKCARE_ACTION_ENDPOINT"].split("//")[1].split(":")[0] in SERVICES
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    for name in servers:
        assert f"{name}:5005" in caddyfile, f"the proxy does not send traffic to {name}"


def test_compose_references_only_defined_services_secrets_and_volumes():
    for name, service in SERVICES.items():
        for needed in service.get("depends_on", {}):
            assert needed in SERVICES, f"{name} depends on unknown {needed}"
        for secret in service.get("secrets", []):
            assert (secret if isinstance(secret, str) else secret["source"]) in COMPOSE["secrets"]
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith((".", "/")) or source in COMPOSE["volumes"], f"{name}: {volume}"


def test_every_container_has_the_secret_files_its_environment_names():
    """The entry point stops when a *_FILE variable names a file it cannot read (bot.run.entrypoint)."""
    for name, service in SERVICES.items():
        mounted = {f"/run/secrets/{s if isinstance(s, str) else s['source']}" for s in service.get("secrets", [])}
        env = service.get("environment") or {}
        for variable, path in env.items():
            if variable.endswith("_FILE") and str(path):
                assert path in mounted, f"{name}: {variable} names {path}, which is not mounted"


def test_the_servers_and_the_proxy_check_readiness_not_just_liveness():
    for name, service in _rasa_servers().items():
        assert "/webhooks/health/ready" in " ".join(service["healthcheck"]["test"]), name
        assert service["restart"] == "unless-stopped"
    assert "restart" in SERVICES["action-server"] and "healthcheck" in SERVICES["action-server"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "health_uri /webhooks/health/ready" in caddyfile and "health_uri /\n" not in caddyfile


def test_an_empty_secret_file_variable_means_the_container_does_not_get_that_secret():
    from bot.run.entrypoint import load_secrets

    environ = {"TELEGRAM_BOT_TOKEN_FILE": "", "BACKCARE_PG_PASSWORD_FILE": "/nonexistent/secret"}
    with pytest.raises(SystemExit, match="BACKCARE_PG_PASSWORD_FILE"):
        load_secrets(environ)
    del environ["BACKCARE_PG_PASSWORD_FILE"]
    assert load_secrets(environ) == [] and "TELEGRAM_BOT_TOKEN" not in environ
