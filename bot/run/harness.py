"""A real running assistant on free ports, for tests, evaluations and benchmarks.

Each one gets its own SQLite fact base and conversation store, so several can
run side by side without sharing state. Like `make run`, it serves Rasa's
HTTP API only when given a token; tests that read conversations back pass one.
"""

from __future__ import annotations

import secrets
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.core.facts.content import read_content
from bot.core.facts.store import engine_for, load
from bot.run.serve import ServeOptions, Stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Turn:
    """One bot turn over REST: the texts, buttons and the single envelope."""

    messages: list[dict]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if "text" in m]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[dict]:
        return [b for m in self.messages for b in m.get("buttons", [])]

    @property
    def envelopes(self) -> list[dict]:
        return [m["custom"] for m in self.messages if "custom" in m]

    @property
    def custom(self) -> dict:
        envelopes = self.envelopes
        assert len(envelopes) == 1, f"expected exactly one envelope, got {self.messages}"
        return envelopes[0]


@dataclass
class Assistant:
    url: str
    stack: Stack
    api_token: str | None = None

    def post(self, body: object, **kwargs) -> requests.Response:
        return requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60, **kwargs)

    def ask(self, message: str, sender: str | None = None) -> Turn:
        reply = self.post({"sender": sender or uuid.uuid4().hex, "message": message})
        reply.raise_for_status()
        return Turn(reply.json())

    def tracker(self, sender: str) -> dict:
        """The stored conversation, through Rasa's HTTP API (which needs the token)."""
        if self.api_token is None:
            raise RuntimeError("this assistant serves no HTTP API: start it with api=True")
        reply = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": self.api_token}, timeout=30)
        reply.raise_for_status()
        return reply.json()


def new_api_token() -> str:
    return secrets.token_urlsafe(24)


def start_assistant(
    tmp: Path, db_url: str | None = None, extra_env: dict[str, str] | None = None, api: bool = False, **options
) -> Assistant:
    """A fresh stack on free ports with its own SQLite fact base and conversation store.

    `db_url` points the fact base elsewhere (nothing is loaded into it);
    `extra_env` reaches both servers; `api` serves Rasa's HTTP API behind a new token.
    """
    if db_url is None:
        db_url = f"sqlite:///{tmp / 'facts.db'}"
        load(read_content(), engine_for(db_url))
    port = free_port()
    token = new_api_token() if api else None
    opts = ServeOptions(
        port=port,
        actions_port=options.pop("actions_port", None) or free_port(),
        extra_env={"BACKCARE_DB_URL": db_url, "BACKCARE_API_TOKEN": token or "", **(extra_env or {})},
        tracker_db=tmp / "conversations.db",
        **options,
    )
    stack = Stack(opts).start()
    return Assistant(url=f"http://127.0.0.1:{port}", stack=stack, api_token=token)
