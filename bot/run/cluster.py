"""`make run-production`: one action server and several Rasa servers on PostgreSQL and Redis.

The servers share nothing but the database and the lock store, which is what
a real deployment behind a reverse proxy looks like (docs/deploy.md). The
tests use the same class to start, kill and restart servers.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bot.run.profile_config import ENDPOINTS_FILE, ProductionSettings, production_settings
from bot.run.serve import ServeOptions, Stack, access_summary, run_until_stopped, wait_until_up


@dataclass
class ClusterOptions:
    config: ProductionSettings
    ports: tuple[int, ...] = (5005, 5006)
    actions_port: int = 5055
    model: Optional[Path] = None
    log_dir: Optional[Path] = None
    extra_env: dict[str, str] = field(default_factory=dict)


class Cluster:
    """The running production servers; server `i` listens on `options.ports[i]`."""

    def __init__(self, options: ClusterOptions) -> None:
        self.options = options
        env = {
            **options.config.environment(),
            "BACKCARE_ACTION_ENDPOINT": f"http://127.0.0.1:{options.actions_port}/webhook",
            # Rasa's telemetry would send error reports (with exception texts) to a third party.
            "RASA_TELEMETRY_ENABLED": os.environ.get("RASA_TELEMETRY_ENABLED", "false"),
            **options.extra_env,
        }
        self.stack = Stack(
            ServeOptions(
                port=options.ports[0],
                more_ports=tuple(options.ports[1:]),
                actions_port=options.actions_port,
                endpoints=ENDPOINTS_FILE,
                model=options.model,
                extra_env=env,
                log_dir=options.log_dir,
            )
        )

    def start(self, timeout: float = 300.0) -> "Cluster":
        self.stack.start(timeout)
        return self

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.options.ports[index]}"

    @property
    def urls(self) -> list[str]:
        return [self.url(i) for i in range(len(self.options.ports))]

    def kill(self, index: int) -> None:
        """SIGKILL server `index`: no clean shutdown, like a crashed machine."""
        process = self.stack.servers[self.options.ports[index]]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def restart(self, index: int, timeout: float = 300.0) -> None:
        port = self.options.ports[index]
        process = self.stack.spawn_rasa(port)
        wait_until_up(f"http://127.0.0.1:{port}/", process, timeout, self.stack.log_path(f"rasa-{port}"))

    def stop(self) -> None:
        self.stack.stop()


def main(argv: Optional[list[str]] = None) -> int:
    from bot.core.facts.cli import load_facts
    from bot.run.preflight import ServiceUnavailable, preflight

    config = production_settings()
    parser = argparse.ArgumentParser(prog="bot serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BACKCARE_PORT", 5005)),
        help="port of the first Rasa server; the others follow",
    )
    parser.add_argument("--servers", type=int, default=config.rasa_servers, help="how many Rasa servers")
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("BACKCARE_ACTIONS_PORT", 5055)))
    args = parser.parse_args(argv)

    try:
        checked = preflight(config)
    except ServiceUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if checked.created_database:
        print(f"Created the PostgreSQL database {config.pg_database!r} for the conversations.")
    if load_facts(config.facts_db_url) != 0:
        return 1

    ports = tuple(args.port + i for i in range(max(1, args.servers)))
    cluster = Cluster(ClusterOptions(config=config, ports=ports, actions_port=args.actions_port))

    def banner() -> str:
        servers = "\n".join(f"  Rasa server {i + 1}:        {url}" for i, url in enumerate(cluster.urls))
        return (
            f"\nThe back-care assistant is ready (production profile).\n{servers}\n"
            f"  Action server:        http://127.0.0.1:{args.actions_port}\n"
            f"  Conversations:        PostgreSQL {config.pg_where}, database {config.pg_database}\n"
            f"  Conversation locks:   Redis {config.redis_where}, prefix {config.redis_prefix}\n"
            f"{access_summary(os.environ)}"
            "Any server can take any message; in a deployment a reverse proxy spreads them (docs/deploy.md).\n"
            "A server that stops is restarted; the others keep serving. Press Ctrl-C to stop.\n"
        )

    return run_until_stopped(cluster.start, cluster.stack.supervise, cluster.stop, banner)


if __name__ == "__main__":
    sys.exit(main())
